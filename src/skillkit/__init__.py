"""skillkit: lint, render and keep in sync agent skill files (SKILL.md).

The library API: `parse_skill` (a path or text → the immutable model), `lint_paths` (paths →
diagnostics) and `render` (templates → skill files, or with `check=True` a drift check).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from skillkit.engine.library import lint_paths
    from skillkit.engine.runner import LintResult
    from skillkit.model import Skill
    from skillkit.parse import parse_skill
    from skillkit.render import render

__all__ = ["LintResult", "Skill", "__version__", "lint_paths", "parse_skill", "render"]


def __getattr__(name: str) -> Any:
    # The library's names load on first use (PEP 562): `import skillkit` runs before every start
    # of the CLI (skillkit.cli is inside this package), which must not pay for what it does not
    # use. So these are the library's deliberate lazy imports, as the CLI has its own.
    if name == "parse_skill":
        # (the parser, and YAML with it)
        from skillkit.parse import parse_skill

        return parse_skill
    if name in ("lint_paths", "LintResult"):
        # (the engine with its cache, pool and renderer)
        from skillkit.engine import library

        return getattr(library, name)
    if name == "render":
        # (the renderer, and Jinja.) The package `skillkit.render` is callable (it forwards to
        # `render.render`), so this name means the same before and after the package is imported.
        import skillkit.render

        return skillkit.render
    if name == "Skill":
        # (the model alone)
        from skillkit.model import Skill

        return Skill
    raise AttributeError(f"module 'skillkit' has no attribute {name!r}")
