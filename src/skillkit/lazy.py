"""A library outside skillkit, bound at module level but loaded on first use, through the standard
library's `importlib.util.LazyLoader`: for a heavy library that only some runs need.

pathspec is one: a run needs it only when it meets a .gitignore or an `exclude`, and its import
(with RE2 and its other backends) costs about 18 ms, 12% of linting one named file, the
pre-commit case, which never reads a .gitignore. Only for libraries outside skillkit: a skillkit
module imported lazily could hide an import cycle (`tests/test_imports.py` checks both).
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    """The module `name`, found now and executed when one of its attributes is first read."""
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
