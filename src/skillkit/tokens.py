"""One token estimate for the whole toolchain (prompt costs, body-length limits).

Four characters a token is the rule of thumb the model vendors publish for English text; it
needs no tokenizer (none is exact across clients anyway) and it is the same on every machine.
"""

from __future__ import annotations

CHARS_PER_TOKEN = 4


def estimate_tokens(text: str) -> int:
    """About how many tokens `text` costs an agent (rounded up; 0 for empty text)."""
    return -(-len(text) // CHARS_PER_TOKEN)
