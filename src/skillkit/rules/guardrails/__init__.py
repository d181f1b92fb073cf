"""SK3xx: guardrails and policies. Sections a profile or the config requires; built-in policies
that a target (`Target.enables`) or the config turns on; what the viberun container user cannot
do; a skill contradicting its own Guardrails section; and the team's own forbidden commands from
the config.

Policies read every program a command runs (`--cmd node --arg server.js` runs `node server.js`),
and skip an inline command that its sentence says not to run (`never use \\`pip install\\``).

The parts: `sections` (section titles and bullets; SK301), `classify` (what a command run is),
`run_text` (a run as a finding shows it), `policies` (SK302-SK305), `root_only` (SK308),
`contradiction` (reading what a guardrail forbids; SK306) and `custom` (SK307). The package
holds the family's rules, which the registry reads off it (`registry.FAMILIES`).
"""

from skillkit.rules.guardrails.contradiction import guardrail_contradiction
from skillkit.rules.guardrails.custom import custom_guardrail
from skillkit.rules.guardrails.policies import (
    destructive_unguarded,
    supervisor_call,
    typescript_policy,
    uv_policy,
)
from skillkit.rules.guardrails.root_only import root_only_command
from skillkit.rules.guardrails.sections import required_section_missing

__all__ = [
    "custom_guardrail",
    "destructive_unguarded",
    "guardrail_contradiction",
    "required_section_missing",
    "root_only_command",
    "supervisor_call",
    "typescript_policy",
    "uv_policy",
]
