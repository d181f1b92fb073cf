"""The language server: pygls wiring around `skillkit.lsp.features`.

Each open SKILL.md is parsed and linted from the editor's text on open, change and save (a few
milliseconds for a real skill), and each open template (`*.j2`) rendered with every output of
its plan and the outputs linted, with the settings of the nearest config read afresh, so an edit
to `skillkit.toml` shows on the next keystroke. The cross-skill findings of a SKILL.md (SK6xx)
are computed on open and save only (they read the whole project: `skillkit.lsp.project`) and
kept between. The last analysis of each document answers code actions, hovers and completions.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from skillkit import __version__
from skillkit.config.resolver import Resolver
from skillkit.diagnostics import Diagnostic, Severity
from skillkit.engine.check import FileResult
from skillkit.lsp.features import (
    Analysis,
    analyse,
    code_actions,
    completions,
    hover,
    is_skill_path,
    is_template_path,
    lsp_diagnostics,
)
from skillkit.lsp.positions import UTF16
from skillkit.lsp.project import project_findings, project_root
from skillkit.lsp.transport import FramedStdin, SkillProtocol
from skillkit.model import Span
from skillkit.reading import read_file_bytes
from skillkit.settings import DEFAULT_SETTINGS, Settings

logger = logging.getLogger(__name__)


class SkillServer(LanguageServer):
    def __init__(self) -> None:
        # (SkillProtocol answers a request with invalid parameters: skillkit.lsp.transport)
        super().__init__("skillkit", __version__, protocol_cls=SkillProtocol)
        self.analyses: dict[str, Analysis] = {}
        # Each open SKILL.md's cross-skill findings as of its last open or save.
        self.project_findings: dict[str, tuple[Diagnostic, ...]] = {}

    def encoding(self) -> str:
        chosen = self.workspace.position_encoding
        return str(
            chosen.value if isinstance(chosen, lsp.PositionEncodingKind) else chosen or UTF16
        )

    def settings(self, path: Path) -> tuple[Settings, list[Diagnostic]]:
        """The settings of the nearest config; a config that cannot be read becomes a finding
        on the document (and the defaults apply), never a crash of the server."""
        try:
            return Resolver().settings_for(path), []
        except Exception as error:
            problem = Diagnostic(
                path=str(path),
                span=Span.at(1),
                code="config",
                name="config-error",
                severity=Severity.ERROR,
                message=f"config not used: {error}",
            )
            return DEFAULT_SETTINGS, [problem]

    def document(self, uri: str, path: Path) -> tuple[str, int | None] | None:
        """The text of a document and its version: as the editor has it when it is open, else
        read from disk through the bounded reader (pygls would read any file, a FIFO or
        `/dev/zero` too, without bound); None when it cannot be read."""
        if unquote(uri) in self.workspace.text_documents:
            document = self.workspace.get_text_document(uri)
            return document.source, document.version
        try:
            return read_file_bytes(path).decode("utf-8", "replace"), None
        except OSError:
            return None

    def refresh(self, uri: str, *, project: bool = False) -> None:
        """Lint the document as the editor has it; with `project`, compare it with the other
        skills of its project again (else the findings of the last comparison stay)."""
        path = Path(to_fs_path(uri) or uri)
        if not (is_skill_path(path) or is_template_path(path)):
            return
        document = self.document(uri, path)
        if document is None:
            return
        source, version = document
        settings, extra = self.settings(path)
        try:
            analysis = analyse(uri, path, source, settings, self.encoding(), extra)
        except Exception:  # a bug of ours must not take the editor's server down
            logger.exception("cannot lint %s", uri)
            return
        if is_skill_path(path):
            if project:
                self.project_findings[uri] = self.compare(path, analysis, settings)
            analysis = self.with_project_findings(analysis)
        self.analyses[uri] = analysis
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(
                uri=uri, version=version, diagnostics=lsp_diagnostics(analysis)
            )
        )

    def compare(self, path: Path, analysis: Analysis, settings: Settings) -> tuple[Diagnostic, ...]:
        absolute = Path(os.path.abspath(path))
        root = project_root(absolute, settings, self.workspace.root_path)
        if root is None:
            return ()
        try:
            found = project_findings(absolute, FileResult(str(path), (), analysis.facts), root)
        except Exception:  # the file's own findings still show
            logger.exception("cannot compare %s with its project", path)
            return ()
        return tuple(found)

    def with_project_findings(self, analysis: Analysis) -> Analysis:
        """The analysis with the document's last cross-skill findings, in line order (those of
        an edit's lines that no longer exist are dropped until the next save)."""
        lines = analysis.skill.text.count("\n") + 1
        kept = [d for d in self.project_findings.get(analysis.uri, ()) if d.span.end_line <= lines]
        if not kept:
            return analysis
        extra = [d for d in analysis.diagnostics if not d.code.startswith("SK")]
        found = [d for d in analysis.diagnostics if d.code.startswith("SK")]
        found.extend(kept)
        found.sort(key=lambda d: (d.span.line, d.span.column, d.code))
        return replace(analysis, diagnostics=(*extra, *found))

    def forget(self, uri: str) -> None:
        self.project_findings.pop(uri, None)
        if self.analyses.pop(uri, None) is not None:
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )


def make_server() -> SkillServer:
    server = SkillServer()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SkillServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri, project=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SkillServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: SkillServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri, project=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: SkillServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(
            code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.SourceFixAll]
        ),
    )
    def code_action(ls: SkillServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        analysis = ls.analyses.get(params.text_document.uri)
        if analysis is None:
            return []
        actions = code_actions(analysis, params.range)
        wanted = params.context.only
        if wanted:
            actions = [a for a in actions if a.kind and any(a.kind.startswith(k) for k in wanted)]
        return actions

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: SkillServer, params: lsp.HoverParams) -> lsp.Hover | None:
        analysis = ls.analyses.get(params.text_document.uri)
        return hover(analysis, params.position) if analysis is not None else None

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[" ", "-"])
    )
    def on_completion(ls: SkillServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        # Complete against the text as it is now (a change may not have been analysed yet).
        uri = params.text_document.uri
        path = Path(to_fs_path(uri) or uri)
        items: list[lsp.CompletionItem] = []
        if is_skill_path(path) or is_template_path(path):
            document = ls.document(uri, path)
            settings, _ = ls.settings(path)
            try:
                source = document[0] if document is not None else ""
                analysis = analyse(uri, path, source, settings, ls.encoding(), lint=False)
                items = completions(analysis, params.position)
            except Exception:  # no completion is better than a server that stops answering
                logger.exception("cannot complete in %s", uri)
        return lsp.CompletionList(is_incomplete=False, items=items)

    return server


def serve() -> None:
    """Speak LSP on standard input and output until the client says exit."""
    make_server().start_io(stdin=FramedStdin(sys.stdin.buffer))  # type: ignore[arg-type]
