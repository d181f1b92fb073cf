"""`skillkit lsp` end to end: pygls's own LanguageClient starts `skillkit lsp` as a subprocess
speaking stdio, opens documents, receives diagnostics, applies code actions, and asks for
hovers and completions. Positions are checked in UTF-16 (the default) and UTF-8 with text
outside the Basic Multilingual Plane before the finding."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

from skillkit.lsp.positions import character_to_column, column_to_character, from_lsp, to_lsp
from tests.helpers import check
from tests.render_helpers import TWO_OUTPUTS_PLAN

TIMEOUT = 30.0

# A skill with a safe fix on a line where an emoji (two UTF-16 units, four UTF-8 bytes) and an
# accented letter (one unit, two bytes) come before the finding.
TEXT = (
    "---\n"
    "name: csv\n"
    "description: Formats CSV files. Use when the user asks for CSV.\n"
    "metadata:\n"
    '  "🚀é": no\n'
    "---\n"
    "# Csv tools\n"
)


class Session:
    """A client connected to a `skillkit lsp` subprocess."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.published: asyncio.Queue[lsp.PublishDiagnosticsParams] = asyncio.Queue()
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}

    async def diagnostics(self, uri: str) -> list[lsp.Diagnostic]:
        while True:
            params = await asyncio.wait_for(self.published.get(), TIMEOUT)
            if params.uri == uri:
                return list(params.diagnostics)

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        self.texts[uri], self.versions[uri] = text, 1
        self.client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                text_document=lsp.TextDocumentItem(
                    uri=uri, language_id="markdown", version=1, text=text
                )
            )
        )
        return uri

    def change(self, uri: str, edits: list[lsp.TextEdit], encoding: str = "utf-16") -> None:
        """Apply edits as an editor would, and send them as incremental changes."""
        self.texts[uri] = apply_edits(self.texts[uri], edits, encoding)
        self.versions[uri] += 1
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                # Incremental changes apply one after another: send the last in the text first.
                content_changes=[
                    lsp.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
                    for e in sorted(
                        edits,
                        key=lambda e: (e.range.start.line, e.range.start.character),
                        reverse=True,
                    )
                ],
            )
        )

    def save(self, path: Path) -> None:
        """Write the document to disk and say so, as an editor saves."""
        uri = path.as_uri()
        path.write_text(self.texts[uri], encoding="utf-8")
        self.client.text_document_did_save(
            lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
        )

    async def actions(self, uri: str, where: lsp.Range) -> list[lsp.CodeAction]:
        result = await asyncio.wait_for(
            self.client.text_document_code_action_async(
                lsp.CodeActionParams(
                    text_document=lsp.TextDocumentIdentifier(uri=uri),
                    range=where,
                    context=lsp.CodeActionContext(diagnostics=[]),
                )
            ),
            TIMEOUT,
        )
        return [a for a in result or [] if isinstance(a, lsp.CodeAction)]

    async def complete(self, uri: str, line: int, character: int) -> list[lsp.CompletionItem]:
        result = await asyncio.wait_for(
            self.client.text_document_completion_async(
                lsp.CompletionParams(
                    text_document=lsp.TextDocumentIdentifier(uri=uri),
                    position=lsp.Position(line=line, character=character),
                )
            ),
            TIMEOUT,
        )
        assert isinstance(result, lsp.CompletionList)
        return list(result.items)

    async def hover(self, uri: str, line: int, character: int) -> lsp.Hover | None:
        return await asyncio.wait_for(
            self.client.text_document_hover_async(
                lsp.HoverParams(
                    text_document=lsp.TextDocumentIdentifier(uri=uri),
                    position=lsp.Position(line=line, character=character),
                )
            ),
            TIMEOUT,
        )


def _edit(start: tuple[int, int], end: tuple[int, int], text: str) -> lsp.TextEdit:
    """An edit of the range from `start` to `end` ((line, character), 0-based as in LSP)."""
    return lsp.TextEdit(
        range=lsp.Range(
            start=lsp.Position(line=start[0], character=start[1]),
            end=lsp.Position(line=end[0], character=end[1]),
        ),
        new_text=text,
    )


def apply_edits(text: str, edits: list[lsp.TextEdit], encoding: str = "utf-16") -> str:
    """Apply LSP text edits to `text`, counting characters in `encoding` (independently of the
    server's own conversion)."""
    lines = text.split("\n")
    codec = "utf-16-le" if encoding == "utf-16" else "utf-8"
    width = 2 if encoding == "utf-16" else 1

    def offset(position: lsp.Position) -> int:
        before = sum(len(line) + 1 for line in lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        prefix = line.encode(codec)[: position.character * width].decode(codec)
        return before + len(prefix)

    for edit in sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def run(test: Callable[[Session], Awaitable[None]], encodings: list[str] | None = None) -> None:
    async def main() -> None:
        client = LanguageClient("skillkit-tests", "1")
        session = Session(client)

        @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[untyped-decorator]
        def published(params: lsp.PublishDiagnosticsParams) -> None:
            session.published.put_nowait(params)

        await client.start_io(sys.executable, "-m", "skillkit", "lsp")
        try:
            capabilities = lsp.ClientCapabilities(
                general=lsp.GeneralClientCapabilities(
                    position_encodings=[lsp.PositionEncodingKind(e) for e in encodings]
                )
                if encodings
                else None
            )
            initialized = await asyncio.wait_for(
                client.initialize_async(lsp.InitializeParams(capabilities=capabilities)), TIMEOUT
            )
            assert initialized.capabilities.position_encoding == (
                encodings[0] if encodings else "utf-16"
            )
            client.initialized(lsp.InitializedParams())
            await test(session)
            await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
            client.exit(None)
        finally:
            # A failed test has not shut the server down: end it, or stop() waits for ever.
            server = client._server
            if server is not None and server.returncode is None:
                server.kill()
            await asyncio.wait_for(client.stop(), TIMEOUT)  # type: ignore[no-untyped-call]

    asyncio.run(main())


def summary(diagnostics: list[lsp.Diagnostic]) -> list[tuple[object, int, int, int, int, str]]:
    return [
        (
            d.code,
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
            d.message,
        )
        for d in diagnostics
    ]


SK106 = (
    '`metadata.🚀é: no` is read by YAML 1.1 loaders as the boolean false, not the string "no"; '
    "quote it"
)
SK112 = "`name` is `csv` but the folder is `csv-tools`; they must be equal"


def test_diagnostics_code_actions_hover(tmp_path: Path) -> None:
    path = tmp_path / "csv-tools" / "SKILL.md"
    path.parent.mkdir()

    async def session(s: Session) -> None:
        uri = s.open(path, TEXT)
        first = await s.diagnostics(uri)
        # The emoji is two UTF-16 units: `no` starts at character 9, not 8.
        assert summary(first) == [
            ("SK112", 1, 6, 1, 9, SK112),
            ("SK106", 4, 9, 4, 11, SK106),
        ]
        assert {d.source for d in first} == {"skillkit"}
        assert [d.severity for d in first] == [lsp.DiagnosticSeverity.Error] * 2

        # The quick fix for SK106, applied as an editor would: the finding is gone.
        actions = await s.actions(uri, first[1].range)
        assert [(a.title, a.kind) for a in actions] == [
            ('quote the value as "no" (SK106)', lsp.CodeActionKind.QuickFix),
            ("suppress SK106 here (a skillkit comment)", lsp.CodeActionKind.QuickFix),
            ("skillkit: apply every safe fix", lsp.CodeActionKind.SourceFixAll),
        ]
        assert actions[0].edit is not None and actions[0].edit.changes is not None
        s.change(uri, list(actions[0].edit.changes[uri]))
        assert '  "🚀é": "no"\n' in s.texts[uri]
        assert summary(await s.diagnostics(uri)) == [("SK112", 1, 6, 1, 9, SK112)]

        # Hover over the finding: the rule's explanation.
        shown = await s.hover(uri, 1, 7)
        assert shown is not None and isinstance(shown.contents, lsp.MarkupContent)
        assert shown.contents.kind == lsp.MarkupKind.Markdown
        assert shown.contents.value.startswith(f"**SK112 name-folder-mismatch**: {SK112}\n")
        assert "Why:\n  The spec requires the name to equal the parent folder" in (
            shown.contents.value
        )
        assert shown.range == first[0].range
        assert await s.hover(uri, 2, 3) is None  # no finding there

        # Fix everything left: no findings at all.
        actions = await s.actions(uri, first[0].range)
        fix_all = [a for a in actions if a.kind == lsp.CodeActionKind.SourceFixAll]
        assert fix_all and fix_all[0].edit is not None and fix_all[0].edit.changes is not None
        s.change(uri, list(fix_all[0].edit.changes[uri]))
        assert s.texts[uri].startswith("---\nname: csv-tools\n")
        assert await s.diagnostics(uri) == []
        assert await s.actions(uri, first[0].range) == []
        text_before_typing = s.texts[uri]

        # Typing (an incremental change after the emoji) is linted at once.
        s.change(
            uri,
            [_edit((4, 9), (4, 13), "yes")],
        )
        assert s.texts[uri].split("\n")[4] == '  "🚀é": yes'
        changed = await s.diagnostics(uri)
        assert [(d.code, d.range.start.character, d.range.end.character) for d in changed] == [
            ("SK106", 9, 12)
        ]
        # The other quick fix: a suppression comment (as `lint --add-suppressions` writes it).
        actions = await s.actions(uri, changed[0].range)
        suppress = [a for a in actions if a.title == "suppress SK106 here (a skillkit comment)"]
        assert suppress and suppress[0].edit is not None and suppress[0].edit.changes is not None
        s.change(uri, list(suppress[0].edit.changes[uri]))
        assert s.texts[uri] == text_before_typing.replace(
            '  "🚀é": "no"\n', '  # skillkit: ignore SK106\n  "🚀é": yes\n'
        )
        assert await s.diagnostics(uri) == []

        # Closing the document clears its findings.
        s.client.text_document_did_close(
            lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
        )
        assert await s.diagnostics(uri) == []

    run(session)


def test_utf8_positions_when_the_client_asks(tmp_path: Path) -> None:
    path = tmp_path / "csv-tools" / "SKILL.md"
    path.parent.mkdir()

    async def session(s: Session) -> None:
        uri = s.open(path, TEXT)
        found = await s.diagnostics(uri)
        # Two spaces, a quote, the emoji (4 bytes), é (2 bytes), a quote, a colon, a space.
        assert summary(found)[1] == ("SK106", 4, 12, 4, 14, SK106)
        actions = await s.actions(uri, found[1].range)
        assert actions[0].edit is not None and actions[0].edit.changes is not None
        s.change(uri, list(actions[0].edit.changes[uri]), encoding="utf-8")
        assert [d.code for d in await s.diagnostics(uri)] == ["SK112"]

    run(session, encodings=["utf-8"])


def test_completions(tmp_path: Path) -> None:
    (tmp_path / "skillkit.toml").write_text('target = "viberun"\n', encoding="utf-8")
    path = tmp_path / "csv-tools" / "SKILL.md"
    path.parent.mkdir()
    text = (
        "---\n"
        "name: csv-tools\n"
        "\n"
        "metadata:\n"
        "  \n"
        "---\n"
        "# Csv tools\n"
        "\n"
        "```sh\n"
        "vrctl \n"
        "vrctl service \n"
        "vrctl service add web --cmd uv --\n"
        "vrctl host urls \n"
        "$ vrctl host branch cr\n"
        "vrctl service add web \\\n"
        "  --cmd uv \\\n"
        "  --c\n"
        "echo \n"
        "```\n"
    )

    async def session(s: Session) -> None:
        uri = s.open(path, text)
        await s.diagnostics(uri)
        keys = await s.complete(uri, 2, 0)
        # The viberun target (from skillkit.toml): its fields, required first, present ones not.
        assert [item.label for item in keys] == [
            "description",
            "allowed-tools",
            "compatibility",
            "license",
        ]
        assert keys[0].detail == "required for viberun"
        assert keys[0].text_edit is not None and keys[0].text_edit.new_text == "description: "
        nested = await s.complete(uri, 4, 2)
        assert [item.label for item in nested] == ["short-description"]

        async def labels(line: int, character: int) -> list[str]:
            return [item.label for item in await s.complete(uri, line, character)]

        assert await labels(9, 6) == ["host", "service"]
        assert await labels(10, 14) == [
            "add",
            "list",
            "logs",
            "remove",
            "restart",
            "start",
            "status",
            "stop",
        ]
        assert await labels(11, 33) == ["--arg", "--cwd", "--env", "--no-start"]
        assert await labels(12, 16) == ["public", "private", "disable", "enable"]
        assert await labels(13, 22) == ["create"]
        assert await labels(16, 5) == ["--cwd"]  # --cmd is given on a continued line
        assert await labels(17, 5) == []  # not vrctl
        assert await labels(7, 0) == []  # body text, not a code block

        # Broken input: findings, never a dead server.
        broken = path.parent.parent / "broken" / "SKILL.md"
        broken.parent.mkdir()
        broken_uri = s.open(broken, '---\nname: [\n\x00"\ud83d\n```\nvrctl \\\n')
        codes = [d.code for d in await s.diagnostics(broken_uri)]
        assert codes and all(isinstance(code, str) and code for code in codes)
        for line in range(6):
            for character in (0, 3, 99):
                await s.complete(broken_uri, line, character)
                await s.hover(broken_uri, line, character)
                await s.actions(
                    broken_uri,
                    lsp.Range(
                        start=lsp.Position(line=line, character=character),
                        end=lsp.Position(line=line, character=character),
                    ),
                )
        assert await labels(9, 6) == ["host", "service"]  # still answering

    run(session)


@pytest.mark.parametrize(
    ("line", "column", "utf16", "utf8"),
    [
        ('  "🚀é": no', 9, 9, 12),
        ("🚀🚀x", 3, 4, 8),
        ("abc", 10, 3, 3),  # past the end: clamped
        ("", 1, 0, 0),
    ],
)
def test_column_conversions(line: str, column: int, utf16: int, utf8: int) -> None:
    assert column_to_character(line, column) == utf16
    assert column_to_character(line, column, "utf-8") == utf8
    assert column_to_character(line, column, "utf-32") == min(column - 1, len(line))
    expected = min(column, len(line) + 1)
    assert character_to_column(line, utf16) == expected
    assert character_to_column(line, utf8, "utf-8") == expected


def test_inside_a_surrogate_pair_rounds_down() -> None:
    assert character_to_column("🚀x", 1) == 1
    assert character_to_column("🚀x", 2) == 2


def test_byte_order_mark_shifts_the_first_line() -> None:
    lines = ("---", "name: x")
    assert to_lsp(lines, 1, 1, bom=True) == (0, 1)
    assert to_lsp(lines, 2, 1, bom=True) == (1, 0)
    assert from_lsp(lines, 0, 1, bom=True) == (1, 1)
    assert to_lsp(lines, 5, 1) == (1, 7)  # past the last line: the end of the text


def test_template_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(TWO_OUTPUTS_PLAN, encoding="utf-8")
    template = tmp_path / "templates" / "demo.md.j2"
    template.parent.mkdir()
    good = "# {{ front_matter.name }}\n\n```sh\nvrctl service status web\n```\n"
    template.write_text(good, encoding="utf-8")

    async def session(s: Session) -> None:
        # The editor's text, not the file's: a wrong subcommand on line 4 of the template.
        uri = s.open(template, good.replace("status", "stats"))
        found = await s.diagnostics(uri)
        assert [(d.code, d.range.start.line, d.message) for d in found] == [
            (
                "SK401",
                3,
                "unknown subcommand `vrctl service stats`; `vrctl service` takes add, list, "
                "logs, remove, restart, start, status, stop; did you mean `status`? "
                "(in 2 outputs)",
            )
        ]
        assert await s.actions(uri, found[0].range) == []  # the fix would edit the output
        # Completion works in a template's code blocks too.
        items = await s.complete(uri, 3, 14)
        assert "status" in [item.label for item in items]
        # A Jinja syntax error is placed on its line.
        s.change(
            uri,
            [_edit((1, 0), (1, 0), "{% if %}")],
        )
        broken = await s.diagnostics(uri)
        assert [(d.code, d.range.start.line) for d in broken] == [("SK701", 1)]
        # Back to the good text: no findings.
        s.change(
            uri,
            [_edit((0, 0), (6, 0), good)],
        )
        assert await s.diagnostics(uri) == []

    run(session)


# Two skills that share a section (the config says so); the second's copy has an edited line
# (SK601 on its line 8).
SHARED_LINE = "- Take a snapshot before risky changes, and name it after the change.\n"
SHARED_SECTION = (
    "## Snapshot guidance\n"
    f"{SHARED_LINE}"
    "- Ask the user before removing a service or restoring a snapshot.\n"
)
DRIFTED_SECTION = SHARED_SECTION.replace("before risky", "after risky")


def _skill(name: str, section: str) -> str:
    return (
        f"---\nname: {name}\ndescription: Runs the {name} app. Use when the user asks about "
        f"{name}.\n---\n\n# {name}\n\n{section}"
    )


SK601 = (
    "section `Snapshot guidance` has drifted from its copy in skills/alpha/SKILL.md:8 "
    '("…Take a snapshot before risky changes, and…" there, "…Take a snapshot after risky '
    'changes, and…" here); move it into a shared partial so that the copies stay the same'
)


def _drift_project(tmp_path: Path) -> tuple[Path, Path]:
    """A project (its config in tmp_path) of two skills under skills/, the second drifted."""
    (tmp_path / "skillkit.toml").write_text(
        'target = "spec"\nshared-sections = ["Snapshot guidance"]\n', encoding="utf-8"
    )
    alpha = tmp_path / "skills" / "alpha" / "SKILL.md"
    beta = tmp_path / "skills" / "beta" / "SKILL.md"
    for path, section in ((alpha, SHARED_SECTION), (beta, DRIFTED_SECTION)):
        path.parent.mkdir(parents=True)
        path.write_text(_skill(path.parent.name, section), encoding="utf-8")
    return alpha, beta


def test_cross_skill_findings_on_open_and_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alpha, beta = _drift_project(tmp_path)
    # What `skillkit lint` reports for the drifted skill, run in the project root.
    monkeypatch.chdir(tmp_path)
    from skillkit.config.resolver import Resolver
    from skillkit.engine.library import lint_paths

    resolver = Resolver()
    expected = [
        (d.code, d.span.line, d.span.column, d.message)
        for d in lint_paths(
            ["."], resolver.settings_for(tmp_path), settings_for=resolver.settings_for
        ).diagnostics
        if d.path == "skills/beta/SKILL.md"
    ]
    assert expected == [("SK601", 8, 1, SK601)]

    async def session(s: Session) -> None:
        uri = s.open(beta, beta.read_text(encoding="utf-8"))
        found = await s.diagnostics(uri)
        assert [
            (d.code, d.range.start.line + 1, d.range.start.character + 1, d.message) for d in found
        ] == expected
        assert summary(found) == [("SK601", 7, 0, 7, 20, SK601)]
        assert found[0].severity == lsp.DiagnosticSeverity.Information
        assert list(found[0].related_information or ()) == [
            lsp.DiagnosticRelatedInformation(
                location=lsp.Location(
                    uri=alpha.as_uri(),
                    range=lsp.Range(
                        start=lsp.Position(line=7, character=0),
                        end=lsp.Position(line=7, character=0),
                    ),
                ),
                message="the copy it drifted from",
            )
        ]
        # Typing (no save) does not compare the skills again: the finding stays.
        s.change(uri, [_edit((8, 0), (9, 0), SHARED_LINE)])
        assert s.texts[uri] == _skill("beta", SHARED_SECTION)
        assert [d.code for d in await s.diagnostics(uri)] == ["SK601"]
        # Saved with the shared text: the copies agree and the finding is gone.
        s.save(beta)
        assert await s.diagnostics(uri) == []

    run(session)


def test_cross_skill_findings_use_the_editor_text_and_suppressions(tmp_path: Path) -> None:
    _alpha, beta = _drift_project(tmp_path)
    beta.write_text(_skill("beta", SHARED_SECTION), encoding="utf-8")  # no drift on disk

    async def session(s: Session) -> None:
        # The drift is in the editor only: it is found all the same.
        drifted = _skill("beta", DRIFTED_SECTION)
        uri = s.open(beta, drifted)
        assert summary(await s.diagnostics(uri)) == [("SK601", 7, 0, 7, 20, SK601)]
        # A suppression comment covers it, as in `skillkit lint`.
        s.change(
            uri,
            [_edit((7, 0), (7, 0), "<!-- skillkit: disable-next-line SK601 -->\n")],
        )
        await s.diagnostics(uri)
        s.save(beta)
        assert await s.diagnostics(uri) == []

    run(session)


def test_cross_skill_facts_come_from_the_lint_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other skills are linted once; the next save takes their facts from the cache that
    `skillkit lint` keeps in the project root."""
    import os

    from skillkit.config.resolver import Resolver
    from skillkit.engine import per_file
    from skillkit.lsp import project
    from skillkit.parse import parse_text

    _alpha, beta = _drift_project(tmp_path)
    old = 1_000_000_000
    for folder, _folders, files in os.walk(tmp_path):
        for name in files:
            os.utime(os.path.join(folder, name), (old, old))
        os.utime(folder, (old, old))  # old enough for the cache to trust
    settings = Resolver().settings_for(beta)
    document = check(parse_text(beta.read_text(encoding="utf-8"), beta), settings)
    root = project.project_root(beta, settings, None)
    assert root == tmp_path
    first = project.project_findings(beta, document, root)
    assert [(d.path, d.span.line, d.message) for d in first] == [("skills/beta/SKILL.md", 8, SK601)]
    assert (tmp_path / ".skillkit_cache").is_dir()

    def no_lint(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("linted again")

    monkeypatch.setattr(per_file, "lint_file", no_lint)
    assert project.project_findings(beta, document, root) == first


def test_project_root_without_a_config(tmp_path: Path) -> None:
    from skillkit.lsp.project import project_root
    from skillkit.settings import DEFAULT_SETTINGS

    path = tmp_path / "work" / "skills" / "demo" / "SKILL.md"
    # The workspace root when the skill is in it, else no project: no folder is guessed.
    assert project_root(path, DEFAULT_SETTINGS, str(tmp_path / "work")) == tmp_path / "work"
    assert project_root(path, DEFAULT_SETTINGS, str(tmp_path / "else")) is None
    assert project_root(path, DEFAULT_SETTINGS, None) is None


@pytest.mark.needs_shared
def test_cross_skill_findings_equal_lint_on_the_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each corpus skill, as if open in the editor with its text on disk, gets exactly the SK6xx
    findings `skillkit lint` run in the corpus folder reports for it (in its order). The corpus
    is linted for viberun, with one more skill whose shared "Snapshot guidance" drifted."""
    import shutil

    from skillkit.config.resolver import Resolver
    from skillkit.engine.library import lint_paths
    from skillkit.lsp.project import project_findings
    from skillkit.parse import parse_text
    from tests.helpers import CORPUS as SOURCE

    CORPUS = tmp_path / "corpus"
    shutil.copytree(SOURCE, CORPUS)
    (CORPUS / "skillkit.toml").write_text('target = "viberun"\n', encoding="utf-8")
    original = (CORPUS / "viberun" / "background-service" / "SKILL.md").read_text()
    worker = CORPUS / "viberun" / "worker" / "SKILL.md"
    worker.parent.mkdir()
    worker.write_text(
        original.replace("background-service", "worker").replace("note it", "say nothing of it")
    )
    monkeypatch.chdir(CORPUS)
    resolver = Resolver()
    linted = lint_paths(
        ["."], resolver.settings_for(CORPUS), settings_for=resolver.settings_for
    ).diagnostics
    compared = drifted = 0
    for path in sorted(CORPUS.rglob("SKILL.md")):
        settings = resolver.settings_for(path)
        document = check(parse_text(path.read_text(encoding="utf-8"), path), settings)
        shown = str(path.relative_to(CORPUS))
        found = project_findings(path, document, CORPUS, use_cache=False)
        expected = [d for d in linted if d.path == shown and d.code.startswith("SK6")]
        assert [(d.code, d.span, d.message, d.severity) for d in found] == [
            (d.code, d.span, d.message, d.severity) for d in expected
        ]
        compared += len(found)
        drifted += sum(d.code == "SK601" for d in found)
    assert drifted == 2  # web-service's Guardrails, worker's Snapshot guidance
    # And SK603: background-service, web-service, service-management and worker (a copy of
    # background-service) compete pairwise, 6 pairs, each finding on both skills.
    assert compared - drifted == 12
