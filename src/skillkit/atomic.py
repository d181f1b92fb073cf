"""Atomic file writes, shared by `--fix`, `skillkit render` and `skillkit new`: a reader (or a
crash) sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes, *, executable: bool = False) -> None:
    """Write `data` (text as UTF-8) through a temporary file in the same folder, then rename it
    over the target. The target keeps its permissions; through a symlink, the file it names is
    replaced (renaming over the link would replace the link with a copy)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = (0o777 if executable else 0o666) & ~umask
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError) and error.filename is None:
            # A full disk fails a write, which names no file: name the one being written.
            raise OSError(error.errno, error.strerror or str(error), str(path)) from error
        raise
