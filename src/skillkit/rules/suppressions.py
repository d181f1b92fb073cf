"""SK9xx: skillkit itself — suppression comments that suppress nothing, or that cannot be read.

The findings are made by `skillkit.engine.suppress` (it alone sees which findings each comment
covered); these declarations give them a code, a severity and documentation like every other rule.
"""

from __future__ import annotations

from skillkit.diagnostics import Severity
from skillkit.rules.base import engine_rule

_FRONT = "---\nname: demo\ndescription: CSV helper.\n---\n\n"


UNUSED_SUPPRESSION = engine_rule(
    "SK901",
    "unused-suppression",
    Severity.WARNING,
    "A suppression comment suppresses nothing.",
    "A suppression outlives the finding it was written for: once the problem is fixed (or the "
    "rule is off), the comment only hides the next real finding on that line. As ruff's RUF100, "
    "`--fix` removes it (or just its unused codes).",
    bad=_FRONT + "<!-- skillkit: disable-next-line SK201 -->\n# Demo\n\nSteps.\n",
    good=_FRONT + "# Demo\n\nSteps.\n",
    fixable=True,
)


INVALID_SUPPRESSION = engine_rule(
    "SK902",
    "invalid-suppression",
    Severity.WARNING,
    "A suppression comment names no rule, an unknown rule, or an unknown directive.",
    "A suppression with a typo in its code suppresses nothing and says nothing: the finding it "
    "was meant for still shows, or worse, a later one is hidden by a code that does exist.",
    bad=_FRONT + "<!-- skillkit: disable-next-line SK9999 -->\n# Demo\n\nSteps.\n",
    good=_FRONT + "<!-- skillkit: disable-next-line SK121 -->\n# Demo\n\nSteps.\n",
)
