"""The one digest skillkit fingerprints things with: file contents, settings, project facts."""

from __future__ import annotations

# The built-in blake2b that hashlib also offers: hashlib itself would load OpenSSL first, a few
# milliseconds of a single-file lint (and a warm cached run hashes nothing at all).
try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

DIGEST_SIZE = 16


def digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=DIGEST_SIZE).digest()
