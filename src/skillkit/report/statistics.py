"""`--statistics`: how many findings each rule made, most first (as ruff's `--statistics`)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from skillkit.diagnostics import Diagnostic


def write_statistics(
    diagnostics: Sequence[Diagnostic], stream: TextIO, as_json: bool = False
) -> None:
    counts = Counter(d.code for d in diagnostics)
    names = {d.code: d.name for d in diagnostics}
    # A rule whose findings carry a fix, safe or unsafe (applied with --unsafe-fixes), is
    # fixable: as `skillkit rules` marks it.
    fixable = {d.code for d in diagnostics if d.fix is not None}
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if as_json:
        json.dump(
            [
                {"code": code, "name": names[code], "count": count, "fixable": code in fixable}
                for code, count in rows
            ],
            stream,
            indent=2,
        )
        stream.write("\n")
        return
    width = max((len(str(count)) for count in counts.values()), default=1)
    for code, count in rows:
        mark = "[*]" if code in fixable else "   "
        stream.write(f"{count:>{width}}\t{code}\t{mark} {names[code]}\n")
