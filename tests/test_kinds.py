"""Every kind of problem that the parser or a grammar finds is reported by exactly one rule.

A kind is an enum member, not a string, so a rule cannot filter on a misspelt kind; and each
rule that reports some kinds claims them (`claims=` in its declaration):
a kind that no rule claims would be found and never reported, one that two rules claim would be
reported twice.
"""

from __future__ import annotations

from collections import Counter

from skillkit.model import ProblemKind
from skillkit.registry import RULES, FileRule
from skillkit.tools import GrammarProblemKind

# (code, kind) for each kind a rule declares it reports (`claims=` in its declaration).
CLAIMS = [
    (rule.code, kind)
    for rule in RULES.values()
    if isinstance(rule, FileRule)
    for kind in rule.claims
]


def test_every_kind_is_claimed_by_exactly_one_rule() -> None:
    claimed = Counter(kind for _, kind in CLAIMS)
    every_kind = [*ProblemKind, *GrammarProblemKind]
    assert {kind: claimed[kind] for kind in every_kind} == dict.fromkeys(every_kind, 1)


def test_each_claim_is_made_by_a_registered_file_rule() -> None:
    codes = {code for code, _ in CLAIMS}
    assert codes
    assert all(isinstance(RULES.get(code), FileRule) for code in codes), sorted(codes)


def test_claims_as_declared() -> None:
    # The ownership of each kind, written out: moving a kind to another rule is a decision.
    by_code: dict[str, list[str]] = {}
    for code, kind in CLAIMS:
        by_code.setdefault(code, []).append(kind.value)
    assert by_code == {
        "SK001": ["unreadable"],
        "SK002": ["not-utf8"],
        "SK003": ["too-large"],
        "SK101": ["front-matter-missing"],
        "SK102": ["front-matter-unclosed"],
        "SK103": ["yaml-syntax", "yaml-syntax-quotable"],
        "SK104": ["yaml-not-mapping"],
        "SK108": ["yaml-unsupported", "yaml-too-complex"],
        "SK203": ["unclosed-fence"],
        "SK401": ["unknown-subcommand", "missing-subcommand"],
        "SK402": ["unknown-flag"],
        "SK403": ["too-many-arguments", "missing-argument", "bad-choice"],
        "SK404": ["missing-value"],
        "SK405": ["missing-flag"],
        "SK406": ["repeated-flag"],
        "SK407": ["whitespace"],
        "SK408": ["bad-env"],
        "SK418": ["literal-env"],
        "SK409": ["relative-path"],
        "SK411": ["unsafe-name"],
        "SK412": ["not-a-number"],
        "SK413": ["bad-ref"],
        "SK414": ["missing-separator", "missing-command"],
        "SK416": ["flag-before-command", "flag-after-command"],
    }
