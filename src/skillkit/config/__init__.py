"""Configuration: find the config that applies to a file, validate it, and turn it into Settings.

A config is `skillkit.toml`, or the `[tool.skillkit]` table of a `pyproject.toml`; the nearest one
walking up from a linted file applies to it (as ruff does). `--config PATH` names one for every
file and `--isolated` ignores them all. Flags on the command line override the file.

Every key is declared once, in `specs.keys()`: the same declaration validates a file (an unknown
key, an unknown rule code or a wrong type is an error with the file, the line and a
did-you-mean) and generates the JSON Schema that `skillkit config-schema` publishes for editors.

The parts, one concern each (import them by their module; this package re-exports nothing):
- `specs`: what each key may be (`Spec`), and the `Settings` field each top-level key sets.
- `validation`: a value checked against its spec (`check_value`, raising `InvalidValue`).
- `toml_positions`: the line of each key of a TOML text (`KeyLines`; tomllib gives none).
- `files`: finding the config of a folder and loading one file (`find_config`, `load_config`).
- `resolver`: the settings for each linted file: the nearest config, the flags, the inferred
  target (`Resolver`, `Overrides`).
- `schema`: the JSON Schema, from the same declaration (`json_schema`).
"""
