"""The one way skillkit reads a file: bounded, never blocking, regular files only.

A repository is untrusted input: any file skillkit reads (a `SKILL.md`, a `.gitignore`, a config,
a template, a rendered output, the manifest, the cache) may be a FIFO that would block an `open`
forever, a link to `/dev/zero` that never ends, or far larger than any real one. Every read goes
through `read_regular_file`, which opens with `O_NONBLOCK` (a FIFO opens at once instead of
waiting for a writer), refuses anything but a regular file before reading a byte, and reads at
most `max_bytes`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = [
    "DEFAULT_MAX_BYTES",
    "UnreadableFile",
    "kind_of_file",
    "read_file_bytes",
    "read_regular_file",
]

# Files larger than this are not read (a finding says so); real skills are a few kB.
DEFAULT_MAX_BYTES = 1_000_000


class UnreadableFile(OSError):
    """A file that was refused (not a regular file, or over the limit). An `OSError`, so code
    that handles a failed read handles this too; `str()` is the reason, for a message."""

    def __init__(self, reason: str, *, too_large: bool = False, size: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.too_large = too_large
        self.size = size  # the size seen, when too large

    def __str__(self) -> str:
        return self.reason


def kind_of_file(mode: int) -> str:
    """Why a file of this mode is not read, as the end of a sentence."""
    if stat.S_ISDIR(mode):
        return "it is a folder"
    if stat.S_ISFIFO(mode):
        return "it is a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "it is a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device"
    return "it is not a regular file"


def read_regular_file(
    path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most `max_bytes`, and its status as opened.

    Raises `UnreadableFile` for anything but a regular file, or one over the limit (also one
    that grows past it while being read), and `OSError` when it cannot be opened."""
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever. It
    # changes nothing for a regular file, and anything else is refused before a read.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    with open(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise UnreadableFile(f"cannot read file: {kind_of_file(status.st_mode)}")
        if status.st_size > max_bytes:
            raise UnreadableFile(
                f"file is {status.st_size:,} bytes, over the limit of {max_bytes:,}",
                too_large=True,
                size=status.st_size,
            )
        # Ask for what the file holds, not for the limit (a read allocates what it asks for);
        # one byte more shows that it grew (or that its size said nothing, as in /proc).
        wanted = min(status.st_size, max_bytes) + 1
        data = handle.read(wanted)
        if len(data) == wanted and wanted <= max_bytes:
            data += handle.read(max_bytes + 1 - wanted)
    if len(data) > max_bytes:  # it grew while we read it
        raise UnreadableFile(f"file is over the limit of {max_bytes:,} bytes", too_large=True)
    return data, status


def read_file_bytes(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """`read_regular_file` without the status."""
    return read_regular_file(path, max_bytes)[0]
