"""Where outputs go and how they are written: inside the output root only, atomically, with a
manifest of what was rendered.

The manifest (`<output root>/.skillkit-manifest.json`) records the SHA-256 of each output as
skillkit wrote it. It lives beside the outputs rather than in a header comment, so a SKILL.md
stays exactly what an agent should read (its front matter must open the file, and every line of
its body costs the agent tokens), and a script stays the script. An output whose bytes no longer
match the manifest was edited by hand, and is not overwritten without `--force`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path, PurePosixPath

from skillkit.outputs.plan import MANIFEST_NAME
from skillkit.reading import UnreadableFile, read_file_bytes

MANIFEST_VERSION = 1
_NOT_A_NAME = re.compile("[\x01-\x1f\x7f\ud800-\udfff]")


class UnsafePath(Exception):
    """An output path that would leave the output root."""


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def output_path(output_root: Path, relative: str) -> Path:
    """The file an output path names, refusing any that would leave the output root: an absolute
    path, a `..` part, or a symlinked folder (or file) that leads outside."""
    if not relative or relative.strip() != relative:
        raise UnsafePath(f"output path {relative!r} is empty or has surrounding whitespace")
    if "\\" in relative or "\x00" in relative:
        raise UnsafePath(f"output path {relative!r} has a backslash or NUL byte")
    if _NOT_A_NAME.search(relative):
        # A control character or a lone surrogate: no file name a repository should hold, and
        # the manifest (UTF-8 JSON) could not record it.
        raise UnsafePath(f"output path {relative!r} has a control character or is not text")
    if relative == MANIFEST_NAME:
        raise UnsafePath(f"output path {relative!r} is the name of the render manifest")
    pure = PurePosixPath(relative)
    if pure.is_absolute() or Path(relative).is_absolute():
        raise UnsafePath(f"output path {relative!r} is absolute; it must be inside the output root")
    if any(part in ("..", ".", "") for part in relative.split("/")):
        raise UnsafePath(f"output path {relative!r} has a `..` or `.` part or names a folder")
    candidate = output_root.joinpath(*pure.parts)
    if candidate.is_dir():
        raise UnsafePath(f"output path {relative!r} is a folder, not a file")
    base = os.path.realpath(output_root)
    real = os.path.realpath(candidate)
    if os.path.commonpath([base, real]) != base:
        raise UnsafePath(
            f"output path {relative!r} leads outside the output root through a symlink"
        )
    return candidate


class UnreadableOutput(Exception):
    """An output (or the manifest) that exists but is not a file skillkit reads: a FIFO, a
    device, one over `OUTPUT_MAX_BYTES`. Never skillkit's own output."""


# An output over this was not written by skillkit (outputs are skills and scripts).
OUTPUT_MAX_BYTES = 16 * 1024 * 1024


def read_bytes(path: Path) -> bytes | None:
    """The bytes of an output or the manifest; None when there is no such file (or a folder
    there, which the output path check refuses). Raises `UnreadableOutput` for anything else
    that is there (never opened in a way that blocks or reads without end)."""
    try:
        return read_file_bytes(path, OUTPUT_MAX_BYTES)
    except UnreadableFile as refused:
        if os.path.isdir(path):
            return None
        raise UnreadableOutput(refused.reason) from None
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def read_manifest(path: Path) -> dict[str, tuple[str, str]]:
    """Output path (relative to the output root) → (checksum, template); empty when there is
    none yet. A damaged manifest counts as none: every output then needs `--force` or to match
    exactly."""
    try:
        data = read_bytes(path)
    except UnreadableOutput:
        return {}  # (not a manifest: it is replaced by one)
    if data is None:
        return {}
    try:
        loaded = json.loads(data)
    except ValueError:
        return {}
    outputs = loaded.get("outputs") if isinstance(loaded, dict) else None
    if not isinstance(outputs, dict):
        return {}
    return {
        str(key): (str(value["sha256"]), str(value.get("template", "")))
        for key, value in outputs.items()
        if isinstance(value, dict) and isinstance(value.get("sha256"), str)
    }


def manifest_text(entries: dict[str, tuple[str, str]]) -> str:
    """The manifest's bytes: sorted, one entry a path, so it diffs and merges well."""
    body = {
        "version": MANIFEST_VERSION,
        "generator": "skillkit render",
        "note": "checksums of rendered outputs; do not edit (run `skillkit render`)",
        "outputs": {
            path: {"sha256": digest, "template": template}
            for path, (digest, template) in sorted(entries.items())
        },
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
