"""Atomic file writes, shared by `--fix`, `skillkit render` and `skillkit new`: a reader (or a
crash) sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from skillkit.reading import UnreadableFile, read_file_bytes


class ChangedOnDisk(Exception):
    """The file is no longer what it was when it was read: someone saved it meanwhile."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def _current(path: Path, limit: int) -> bytes | None:
    """The file's bytes; None when it is gone, not a regular file, or over `limit` bytes (it
    then differs from whatever was expected)."""
    try:
        return read_file_bytes(path, limit)
    except (FileNotFoundError, UnreadableFile):
        return None


def write_atomic(
    path: Path, data: str | bytes, *, executable: bool = False, expected: bytes | None = None
) -> None:
    """Write `data` (text as UTF-8) through a temporary file in the same folder, then rename it
    over the target. The target keeps its permissions; through a symlink, the file it names is
    replaced (renaming over the link would replace the link with a copy).

    With `expected` (the bytes the new text was made from), the file is read again just before
    the rename, and `ChangedOnDisk` is raised, nothing replaced, when it holds neither them nor
    `data`: a save made while `--fix` was working is not reverted."""
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
        if expected is not None:
            current = _current(path, max(len(expected), len(data)) + 1)
            if current == data:  # another run wrote the same meanwhile: nothing to do
                os.unlink(temporary)
                return
            if current != expected:
                raise ChangedOnDisk(path)
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError) and error.filename is None:
            # A full disk fails a write, which names no file: name the one being written.
            raise OSError(error.errno, error.strerror or str(error), str(path)) from error
        raise
