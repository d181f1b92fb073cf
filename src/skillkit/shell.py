"""Shell: code blocks and inline spans → simple commands, each word with its position.

Not a shell: enough of POSIX sh's word rules to find the commands a skill tells an agent to run,
with quotes, `\\` continuations, comments, `$ ` prompts, operators, redirections and heredocs
handled, and documentation placeholders (`<name>`, `...`) kept as words rather than read as
redirections. Positions are exact, so a finding can point at the one bad flag.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator

from skillkit.model import CodeBlock, Command, Skill, Span, Token

SHELL_LANGUAGES = frozenset(
    {"", "sh", "bash", "shell", "console", "zsh", "shell-session", "shellsession", "terminal"}
)
CRONTAB_LANGUAGES = frozenset({"cron", "crontab"})
# Inline spans are commands only when they start with one of these tools.
INLINE_TOOLS = frozenset(
    {"vrctl", "mise", "uv", "uvx", "npx", "pip", "pip3", "systemctl", "sudo", "apt-get", "apt"}
)

_PLACEHOLDER = re.compile(r"<[^<>\n]+>")
_WHOLE_PLACEHOLDER = re.compile(r"^(?:<[^<>\n]+>|\.\.\.|…|\[\.\.\.\])$")
_PLACEHOLDER_STARTS = frozenset("<.…[")  # the first characters _WHOLE_PLACEHOLDER can match
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_CRON_FIELD = re.compile(r"^(?:[\d*][\d*/,\-]*|[A-Za-z]{3}(?:[-,][A-Za-z]{3})*)$")
_CRON_FIRST = re.compile(r"^[\d*][\d*/,\-]*$")
_CRON_MACRO = re.compile(r"^@(?:reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)$")
_HEREDOC_DELIMITER = re.compile(r"""(['"]?)([A-Za-z0-9_.\-]+)\1""")
# Characters that never start anything in the lexer (quotes, escapes, expansions, operators and
# blanks do); `#` starts a comment only where a word starts, so inside a run it is plain.
_PLAIN_RUN = re.compile(r"[^ \t\r\n\\'\"$`<>&|;()]+")
_SEPARATORS = frozenset({"&&", "||", ";", "|", "&", ";;", "(", ")", "|&"})
_REDIRECTS = frozenset({">", ">>", "<", "<<", "<<-", "<<<", "&>", "&>>", ">&", "<&", ">|", "<>"})


# What the lexer yields: a word (a Token), an operator (its text), or NEWLINE, a line break that
# ends a command. (Plain values: a lexeme object per word cost more than the word itself.)
NEWLINE = "\n"
_Lexeme = Token | str
# The characters that start something other than a plain run (each has its reader in _READERS).
_LINE_BREAK = re.compile("\n")
_BLANK_RUN = re.compile("[ \t\r]+")
_THREE_CHARACTER_OPERATORS = frozenset({"&>>", "<<<", "<<-"})
_TWO_CHARACTER_OPERATORS = frozenset({"&&", "||", ";;", ">>", "<<", "&>", ">&", "<&", ">|", "|&"})
_SPECIAL = frozenset(" \t\r\n\\'\"$`<>&|;()#")


class _Lexer:
    """Reads shell text into lexemes; `where(i)` maps an index in the text to a file (line,
    column).

    `lex` reads the commonest word (a run of ordinary characters alone between blanks) itself and
    hands every other character that starts something to its reader in `_READERS` (one method a
    construct: blanks, line breaks, escapes, comments, quotes, expansions, operators), as
    markdown-it-py hands a line to its block rules. A reader takes the index of its character
    and returns the index after what it read; a word may be made of several pieces (`a"b"c`),
    gathered until a blank, a line break or an operator ends it.
    """

    def __init__(self, text: str, first_line: int, column_offset: int) -> None:
        self.text = text
        self.first_line = first_line
        self.column_offset = column_offset
        self.line_starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
        # (start, end) index of each heredoc body the lexer skipped, for the crontab lines a
        # skill writes with `cat > cron.tab <<'EOF'`.
        self.heredoc_bodies: list[tuple[int, int]] = []
        self.lexemes: list[_Lexeme] = []
        # The word being read: the index of its first piece (-1: no word), its pieces after
        # quote removal and as written, the index after its last piece, whether one was quoted.
        self.word_start = -1
        self.pieces: list[str] = []
        self.raws: list[str] = []
        self.word_end = 0
        self.quoted = False
        # The delimiters (and whether tabs are stripped, `<<-`) of the heredocs whose bodies
        # start after the current line.
        self.pending_heredocs: list[tuple[str, bool]] = []

    def where(self, index: int) -> tuple[int, int]:
        low = bisect.bisect_right(self.line_starts, index) - 1
        return self.first_line + low, index - self.line_starts[low] + 1 + self.column_offset

    def lex(self) -> list[_Lexeme]:
        text = self.text
        n = len(text)
        lexemes = self.lexemes
        line_starts, first_line, column_offset = (
            self.line_starts,
            self.first_line,
            self.column_offset,
        )
        bisect_right = bisect.bisect_right
        i = 0
        while i < n:
            char = text[i]
            if char in _SPECIAL:
                i = _READERS[char](self, i)
                continue
            # Ordinary characters: the whole run at once (one piece, not one per character).
            plain = _PLAIN_RUN.match(text, i + 1)
            end = plain.end() if plain else i + 1
            run = text[i:end]
            if self.word_start < 0 and (end == n or text[end] in " \t\n"):
                # The commonest word: one run, alone; nothing to join, on one line.
                low = bisect_right(line_starts, i) - 1  # (where(i), inlined)
                line = first_line + low
                column = i - line_starts[low] + 1 + column_offset
                lexemes.append(
                    Token(
                        run,
                        run,
                        Span(line, column, line, column + end - i),
                        False,
                        run[:1] in _PLACEHOLDER_STARTS and bool(_WHOLE_PLACEHOLDER.match(run)),
                        "..." in run,  # (a run holds no `<`)
                    )
                )
                if end < n and text[end] == " ":
                    end += 1  # the blank after it ends nothing (`_blanks` in one step)
            else:
                self._add(i, end, run)
            i = end
        if self.word_start >= 0:
            lexemes.append(self._finish())
        return lexemes

    def _finish(self) -> Token:
        """The word read so far (there is one: word_start >= 0), which then ends."""
        text, word_start, word_end = self.text, self.word_start, self.word_end
        raw = "".join(self.raws)
        value = "".join(self.pieces)
        line, column = self.where(word_start)
        if text.find("\n", word_start, word_end) < 0:
            end_line, end_column = line, column + word_end - word_start
        else:
            end_line, end_column = self.where(word_end - 1)
            end_column += 1
        token = Token(
            value,
            raw,
            Span(line, column, end_line, end_column),
            self.quoted,
            # placeholder, has_placeholder (each pattern needs a character that most words
            # lack: test that first)
            value[:1] in _PLACEHOLDER_STARTS and bool(_WHOLE_PLACEHOLDER.match(value)),
            ("<" in value and bool(_PLACEHOLDER.search(value))) or "..." in value,
        )
        self._drop_word()
        return token

    def _drop_word(self) -> None:
        self.word_start = -1
        self.pieces.clear()
        self.raws.clear()
        self.quoted = False

    def _end_word(self) -> None:
        if self.word_start >= 0:
            self.lexemes.append(self._finish())

    def _add(self, index: int, end_index: int, value: str) -> None:
        """Add a piece to the word (text[index:end_index] as written, `value` once read)."""
        if self.word_start < 0:
            self.word_start = index
        self.pieces.append(value)
        self.raws.append(self.text[index:end_index])
        self.word_end = end_index

    def _plain(self, i: int) -> int:
        """A run of ordinary characters that starts with one that is ordinary here: `$` not
        before a bracket, `\\` at the very end, `#` inside a word."""
        plain = _PLAIN_RUN.match(self.text, i + 1)
        end = plain.end() if plain else i + 1
        self._add(i, end, self.text[i:end])
        return end

    def _blanks(self, i: int) -> int:
        if self.word_start >= 0:  # (`_end_word`, inlined: blanks are common)
            self.lexemes.append(self._finish())
        i += 1
        text = self.text
        if i < len(text) and text[i] in " \t\r":  # an indent: all its blanks at once
            i = _BLANK_RUN.match(text, i).end()  # type: ignore[union-attr]
        return i

    def _line_break(self, i: int) -> int:
        """A line break ends the command; the bodies of the heredocs it started follow it."""
        self._end_word()
        self.lexemes.append(NEWLINE)
        i += 1
        if self.pending_heredocs:
            i = self._skip_heredocs(i, self.pending_heredocs)
            self.pending_heredocs = []
        return i

    def _backslash(self, i: int) -> int:
        text = self.text
        if i + 1 >= len(text):
            return self._plain(i)
        if text[i + 1] == "\n":
            return i + 2  # a line continuation joins the next line
        self._add(i, i + 2, text[i + 1])  # an escaped character
        return i + 2

    def _comment(self, i: int) -> int:
        """A comment, up to the line break; `#` inside a word is an ordinary character."""
        return self._line_end(i) if self.word_start < 0 else self._plain(i)

    def _single_quoted(self, i: int) -> int:
        text = self.text
        close = text.find("'", i + 1)
        # An unterminated quote (an apostrophe in a doc) ends at its line, not the block.
        end = close + 1 if close >= 0 else self._line_end(i)
        self._add(i, end, text[i + 1 : close] if close >= 0 else text[i + 1 : end])
        self.quoted = True
        return end

    def _double_quoted(self, i: int) -> int:
        text = self.text
        n = len(text)
        j = i + 1
        value: list[str] = []
        stop = n if text.find('"', i + 1) >= 0 else self._line_end(i)
        while j < stop and text[j] != '"':
            if text[j] == "\\" and j + 1 < n and text[j + 1] in '"\\$`\n':
                if text[j + 1] != "\n":
                    value.append(text[j + 1])
                j += 2
                continue
            value.append(text[j])
            j += 1
        end = min(j + 1, stop)
        self._add(i, end, "".join(value))
        self.quoted = True
        return end

    def _dollar(self, i: int) -> int:
        """`$(...)` and `${...}`, kept whole as written; a lone `$` is ordinary."""
        text = self.text
        if i + 1 >= len(text) or text[i + 1] not in "({":
            return self._plain(i)
        end = self._matching(i + 1)
        self._add(i, end, text[i:end])
        return end

    def _backquoted(self, i: int) -> int:
        text = self.text
        end = text.find("`", i + 1)
        end = len(text) if end < 0 else end + 1
        self._add(i, end, text[i:end])
        return end

    def _less_than(self, i: int) -> int:
        """`<app name>` is a placeholder; `<in >out` and `< in` are redirections."""
        placeholder = _PLACEHOLDER.match(self.text, i)
        if placeholder and " " not in (placeholder.group(0)[1], placeholder.group(0)[-2]):
            self._add(i, placeholder.end(), placeholder.group(0))
            return placeholder.end()
        return self._operator(i)

    def _operator(self, i: int) -> int:
        text = self.text
        # A number right before a redirection is a file descriptor, not a word.
        if text[i] in "<>" and self.word_start >= 0 and "".join(self.raws).isdigit():
            self._drop_word()
        self._end_word()
        op = self._operator_at(i)
        self.lexemes.append(op)
        i += len(op)
        if op in ("<<", "<<-"):
            # The delimiter is the next word; quoting it only turns off expansion.
            while i < len(text) and text[i] in " \t":
                i += 1
            match = _HEREDOC_DELIMITER.match(text, i)
            if match:
                self.pending_heredocs.append((match.group(2), op == "<<-"))
                i = match.end()
        return i

    def _line_end(self, i: int) -> int:
        end = self.text.find("\n", i)
        return len(self.text) if end < 0 else end

    def _operator_at(self, i: int) -> str:
        """The operator at i: the longest of _OPERATORS there, else its one character."""
        text = self.text
        if text[i : i + 3] in _THREE_CHARACTER_OPERATORS:
            return text[i : i + 3]
        if text[i : i + 2] in _TWO_CHARACTER_OPERATORS:
            return text[i : i + 2]
        return text[i]

    def _matching(self, i: int) -> int:
        """The index after the bracket that closes the one at i (for `$(...)` and `${...}`)."""
        opening = self.text[i]
        closing = ")" if opening == "(" else "}"
        depth = 0
        j = i
        while j < len(self.text):
            char = self.text[j]
            if char == opening:
                depth += 1
            elif char == closing:
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
        return len(self.text)

    def _skip_heredocs(self, i: int, heredocs: list[tuple[str, bool]]) -> int:
        text = self.text
        for delimiter, strip_tabs in heredocs:
            start = i
            body_end = len(text)
            while i < len(text):
                end = text.find("\n", i)
                end = len(text) if end < 0 else end
                line = text[i:end]
                if (line.lstrip("\t") if strip_tabs else line) == delimiter:
                    body_end = i
                    i = end + 1
                    break
                i = end + 1
            self.heredoc_bodies.append((start, min(body_end, len(text))))
        return i


# The reader of each character that starts something other than an ordinary run.
_READERS: dict[str, Callable[[_Lexer, int], int]] = {
    " ": _Lexer._blanks,
    "\t": _Lexer._blanks,
    "\r": _Lexer._blanks,
    "\n": _Lexer._line_break,
    "\\": _Lexer._backslash,
    "#": _Lexer._comment,
    "'": _Lexer._single_quoted,
    '"': _Lexer._double_quoted,
    "$": _Lexer._dollar,
    "`": _Lexer._backquoted,
    "<": _Lexer._less_than,
    **dict.fromkeys(">&|;()", _Lexer._operator),
}


def _split_commands(
    lexemes: Iterable[_Lexeme], source: str, block_line: int, system_crontab: bool = False
) -> Iterator[Command]:
    words: list[Token] = []
    skip_next_word = False
    for lexeme in lexemes:
        if not isinstance(lexeme, str):
            if skip_next_word:
                skip_next_word = False
                continue
            words.append(lexeme)
            continue
        if lexeme in _REDIRECTS:
            # `<<` took its delimiter already; other redirections take the next word.
            skip_next_word = lexeme not in ("<<", "<<-")
            continue
        skip_next_word = False
        command = _command(words, source, block_line, system_crontab)
        if command:
            yield command
        words = []
    command = _command(words, source, block_line, system_crontab)
    if command:
        yield command


def _command(
    words: list[Token], source: str, block_line: int, system_crontab: bool = False
) -> Command | None:
    assignments: list[Token] = []
    index = 0
    while index < len(words) and _ASSIGNMENT.match(words[index].raw):
        assignments.append(words[index])
        index += 1
    argv = words[index:]
    if not argv:
        return None
    kind = source
    if source != "inline":
        cron = _cron_command_start(argv)
        if cron:
            argv = argv[cron:]
            kind = "crontab"
            # A system crontab (/etc/crontab, /etc/cron.d/*) has a user field before the
            # command; `root` is never the command anywhere.
            if len(argv) > 1 and (system_crontab or argv[0].text == "root"):
                argv = argv[1:]
            if not argv:
                return None
    first, last = argv[0].span, argv[-1].span
    return Command(
        argv=tuple(argv),
        span=Span(first.line, first.column, last.end_line, last.end_column),
        source=kind,  # type: ignore[arg-type]
        assignments=tuple(assignments),
        block_line=block_line,
    )


def _cron_command_start(argv: list[Token]) -> int:
    """How many leading words are a crontab schedule (5 fields or an @macro); 0 if none."""
    if argv and not argv[0].quoted and _CRON_MACRO.match(argv[0].text) and len(argv) > 1:
        return 1
    if (
        len(argv) > 5
        and _CRON_FIRST.match(argv[0].raw)
        and all(not t.quoted and _CRON_FIELD.match(t.raw) for t in argv[:5])
    ):
        return 5
    return 0


def _strip_prompts(block: CodeBlock) -> tuple[str, bool]:
    """Remove `$ ` prompts; in a console block keep only prompted lines and their continuations."""
    console = block.language in ("console", "shell-session", "shellsession", "terminal")
    lines = block.text.split("\n")
    has_prompt = any(line.startswith("$ ") or line == "$" for line in lines)
    if not has_prompt:
        return block.text, False
    out: list[str] = []
    continuing = False
    for line in lines:
        if line.startswith("$ ") or line == "$":
            out.append("  " + line[2:] if line.startswith("$ ") else "")
            continuing = line.endswith("\\")
        elif continuing:
            out.append(line)
            continuing = line.endswith("\\")
        elif console or has_prompt:
            out.append("")  # output of the command above, not a command
        else:
            out.append(line)
    return "\n".join(out), True


_SYSTEM_CRONTAB = re.compile(r"/etc/cron\.d\b|/etc/crontab\b")


def commands_of_block(block: CodeBlock, system_crontab: bool = False) -> tuple[Command, ...]:
    """The commands of a code block. `system_crontab`: its crontab lines are those of
    /etc/crontab or /etc/cron.d (a user field before the command), as the text leading into
    the block says; a block that names such a file says so itself."""
    if block.language not in SHELL_LANGUAGES and block.language not in CRONTAB_LANGUAGES:
        return ()
    text, _ = _strip_prompts(block)
    lexer = _Lexer(text, block.content_line, block.indent)
    system_crontab = system_crontab or bool(_SYSTEM_CRONTAB.search(block.info + "\n" + text))
    found = list(_split_commands(lexer.lex(), "block", block.span.line, system_crontab))
    for start, end in lexer.heredoc_bodies:
        found.extend(_crontab_lines(lexer, start, end, block.span.line, system_crontab))
    if lexer.heredoc_bodies:
        found.sort(key=lambda command: (command.span.line, command.span.column))
    return tuple(found)


def _crontab_lines(
    lexer: _Lexer, start: int, end: int, block_line: int, system_crontab: bool
) -> Iterator[Command]:
    """The commands of the crontab lines in a heredoc body (`cat > cron.tab <<'EOF'`): a line
    that starts with a schedule is a crontab line whatever file it goes to; other lines of a
    heredoc (a script, a config) are text, not commands."""
    text = lexer.text
    position = start
    while position < end:
        line_end = text.find("\n", position, end)
        line_end = end if line_end < 0 else line_end
        fields = text[position:line_end].split(None, 5)
        if len(fields) > 1 and (
            _CRON_MACRO.match(fields[0])
            or (
                len(fields) > 5
                and _CRON_FIRST.match(fields[0])
                and all(_CRON_FIELD.match(field) for field in fields[:5])
            )
        ):
            line, column = lexer.where(position)
            sub = _Lexer(text[position:line_end], line, column - 1)
            for command in _split_commands(sub.lex(), "block", block_line, system_crontab):
                yield command if command.source == "crontab" else _as_crontab(command)
        position = line_end + 1


def _as_crontab(command: Command) -> Command:
    """A later command of a crontab line (`... * * * * cd app && ./job.sh`): run by cron too."""
    return Command(
        argv=command.argv,
        span=command.span,
        source="crontab",
        assignments=command.assignments,
        block_line=command.block_line,
    )


def _leads_into_system_crontab(skill: Skill, block: CodeBlock) -> bool:
    """Whether the prose just before a block (its last two lines) names /etc/cron.d or
    /etc/crontab ("Add this line to `/etc/cron.d/app`:")."""
    seen = 0
    number = block.span.line - 1
    while number >= skill.body_start_line and seen < 2:
        text = skill.line_text(number)
        if text.strip():
            if _SYSTEM_CRONTAB.search(text):
                return True
            seen += 1
        number -= 1
    return False


def commands_of_text(
    text: str, line: int = 1, column: int = 1, source: str = "block"
) -> tuple[Command, ...]:
    """Commands of a piece of shell text that starts at (line, column) of a file."""
    lexer = _Lexer(text, line, column - 1)
    return tuple(_split_commands(lexer.lex(), source, 0))


def commands_of_skill(skill: Skill) -> tuple[Command, ...]:
    found: list[Command] = []
    for block in skill.code_blocks:
        found.extend(commands_of_block(block, _leads_into_system_crontab(skill, block)))
    for code in skill.inline_code:
        first_word = code.text.split(None, 1)[0] if code.text.strip() else ""
        if first_word in INLINE_TOOLS:
            found.extend(
                commands_of_text(code.text, code.span.line, code.span.column, source="inline")
            )
    found.sort(key=lambda command: (command.span.line, command.span.column))
    return tuple(found)
