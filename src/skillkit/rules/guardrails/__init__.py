"""SK3xx: guardrails and policies. Sections a profile or the config requires; built-in policies
that a target (`Target.enables`) or the config turns on; what the viberun container user cannot
do; a skill contradicting its own Guardrails section; and the team's own forbidden commands from
the config.

Policies read every program a command runs (`--cmd node --arg server.js` runs `node server.js`),
and skip an inline command that its sentence says not to run (`never use \\`pip install\\``).

The parts: `sections` (section titles and bullets; SK301), `classify` (what a command run is),
`run_text` (a run as a finding shows it), `policies` (SK302-SK305), `root_only` (SK308),
`contradiction` (reading what a guardrail forbids; SK306) and `custom` (SK307). Importing this
package registers the rules, in this order.
"""

# The rules register in import order, as they did in one module: keep this order.
# isort: off
from skillkit.rules.guardrails import sections  # SK301
from skillkit.rules.guardrails import policies  # SK302-SK305
from skillkit.rules.guardrails import root_only  # SK308
from skillkit.rules.guardrails import contradiction  # SK306
from skillkit.rules.guardrails import custom  # SK307
# isort: on

__all__ = ["contradiction", "custom", "policies", "root_only", "sections"]
