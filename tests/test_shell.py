"""The shell lexer (`skillkit.shell`): exact argv and exact token spans for what skills
write in their code blocks and inline spans."""

from __future__ import annotations

import pytest

from skillkit.model import Command, Span
from skillkit.parse import parse_text
from skillkit.shell import _READERS, _SPECIAL, commands_of_text

# Front matter on lines 1-3, the opening fence on line 4: block content starts on line 5.
FM = "---\nname: demo\n---\n"


def block(text: str, language: str = "bash") -> tuple[Command, ...]:
    return parse_text(f"{FM}```{language}\n{text}\n```\n").commands


def argvs(commands: tuple[Command, ...]) -> list[list[str]]:
    return [list(c.words) for c in commands]


def spans(command: Command) -> list[tuple[int, int, int, int]]:
    return [(t.span.line, t.span.column, t.span.end_line, t.span.end_column) for t in command.argv]


def test_words_and_spans() -> None:
    (command,) = block("vrctl service add web --port 8000")
    assert list(command.words) == ["vrctl", "service", "add", "web", "--port", "8000"]
    assert spans(command) == [
        (5, 1, 5, 6),
        (5, 7, 5, 14),
        (5, 15, 5, 18),
        (5, 19, 5, 22),
        (5, 23, 5, 29),
        (5, 30, 5, 34),
    ]
    assert command.span == Span(5, 1, 5, 34)
    assert (command.source, command.block_line, command.tool, command.line) == (
        "block",
        4,
        "vrctl",
        5,
    )


def test_tool_is_the_basename() -> None:
    assert block("/usr/local/bin/vrctl status")[0].tool == "vrctl"


def test_backslash_continuations_are_joined() -> None:
    (command,) = block("vrctl service add web \\\n  --cmd 'uv run app' \\\n  --port 8000")
    assert list(command.words) == [
        "vrctl", "service", "add", "web", "--cmd", "uv run app", "--port", "8000",
    ]  # fmt: skip
    assert spans(command)[4:] == [(6, 3, 6, 8), (6, 9, 6, 21), (7, 3, 7, 9), (7, 10, 7, 14)]
    assert command.span == Span(5, 1, 7, 14)


def test_quotes() -> None:
    (command,) = block("""echo 'a b' "c \\"d\\" $e" f'g'"h" \\$x""")
    assert list(command.words) == ["echo", "a b", 'c "d" $e', "fgh", "$x"]
    assert [t.quoted for t in command.argv] == [False, True, True, True, False]
    assert [t.raw for t in command.argv] == ["echo", "'a b'", '"c \\"d\\" $e"', "f'g'\"h\"", "\\$x"]
    assert spans(command) == [
        (5, 1, 5, 5),
        (5, 6, 5, 11),
        (5, 12, 5, 24),
        (5, 25, 5, 32),
        (5, 33, 5, 36),
    ]


def test_a_quoted_string_may_span_lines() -> None:
    (command,) = block("echo 'multi\nline' done")
    assert list(command.words) == ["echo", "multi\nline", "done"]
    assert spans(command)[1:] == [(5, 6, 6, 6), (6, 7, 6, 11)]


def test_an_unterminated_quote_ends_at_its_line() -> None:
    commands = block("echo 'unterminated\nls -l\necho \"also\nls")
    assert argvs(commands) == [["echo", "unterminated"], ["ls", "-l"], ["echo", "also"], ["ls"]]
    assert spans(commands[0])[1] == (5, 6, 5, 19)


def test_comments() -> None:
    commands = block("ls # list\n# a whole line\necho '#not' a#b \"#\"")
    assert argvs(commands) == [["ls"], ["echo", "#not", "a#b", "#"]]
    assert commands[1].line == 7


def test_command_substitution_and_backticks_are_one_word() -> None:
    (command,) = block('echo "$(date +%s)" $(cat "a b") `pwd` ${HOME}/x')
    assert list(command.words) == ["echo", "$(date +%s)", '$(cat "a b")', "`pwd`", "${HOME}/x"]
    assert spans(command)[1:] == [(5, 6, 5, 19), (5, 20, 5, 32), (5, 33, 5, 38), (5, 39, 5, 48)]


def test_operators_split_commands() -> None:
    commands = block("a && b || c; d | e & f |& g")
    assert argvs(commands) == [["a"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"]]
    assert [c.span.column for c in commands] == [1, 6, 11, 14, 18, 22, 27]


def test_longest_operator_wins() -> None:
    commands = commands_of_text("cat <<< x &>> log |& tee y; a&&b||c;;d", 5)
    assert argvs(commands) == [["cat"], ["tee", "y"], ["a"], ["b"], ["c"], ["d"]]
    assert [c.span.column for c in commands] == [1, 22, 29, 32, 35, 38]


def test_indents_continuations_and_a_trailing_comment() -> None:
    (command,) = commands_of_text("  vrctl  app   create \\\n    --port 8 \\\n\t--x y  # note", 5)
    assert list(command.words) == ["vrctl", "app", "create", "--port", "8", "--x", "y"]
    assert spans(command) == [
        (5, 3, 5, 8),
        (5, 10, 5, 13),
        (5, 16, 5, 22),
        (6, 5, 6, 11),
        (6, 12, 6, 13),
        (7, 2, 7, 5),
        (7, 6, 7, 7),
    ]


def test_subshells_and_groups() -> None:
    assert argvs(block("(cd app && make)")) == [["cd", "app"], ["make"]]


def test_redirections_are_not_words() -> None:
    commands = block("cmd > out 2>&1 >> log < in\nrun 2>/dev/null -v\nx &> all.log <<< 'here' y")
    assert argvs(commands) == [["cmd"], ["run", "-v"], ["x", "y"]]
    assert spans(commands[1]) == [(6, 1, 6, 4), (6, 17, 6, 19)]


def test_a_number_that_is_not_before_a_redirection_stays_a_word() -> None:
    assert argvs(block("head -n 2 file > out")) == [["head", "-n", "2", "file"]]


def test_placeholders_are_words_not_redirections() -> None:
    (command,) = block("vrctl logs <app> --tail <n> ... <app name>")
    assert list(command.words) == ["vrctl", "logs", "<app>", "--tail", "<n>", "...", "<app name>"]
    assert [t.placeholder for t in command.argv] == [False, False, True, False, True, True, True]
    assert spans(command)[2] == (5, 12, 5, 17)
    assert spans(command)[6] == (5, 33, 5, 43)


def test_a_word_containing_a_placeholder() -> None:
    (cd, ls) = block("cd /workspace/<app> && ls <entry>.ts --port=<port>")
    assert [(t.text, t.placeholder, t.has_placeholder) for t in cd.argv] == [
        ("cd", False, False),
        ("/workspace/<app>", False, True),
    ]
    assert spans(cd)[1] == (5, 4, 5, 20)
    assert [(t.placeholder, t.has_placeholder) for t in ls.argv[1:]] == [(False, True)] * 2


def test_angle_brackets_with_spaces_inside_are_redirections() -> None:
    assert argvs(block("sort <in >out")) == [["sort"]]
    assert argvs(block("sort < in > out")) == [["sort"]]


@pytest.mark.parametrize("delimiter", ["EOF", "'EOF'", '"EOF"'])
def test_heredoc_bodies_are_skipped(delimiter: str) -> None:
    commands = block(f"cat <<{delimiter} > f.txt\nrm -rf /\n$(x)\nEOF\necho after")
    assert argvs(commands) == [["cat"], ["echo", "after"]]
    assert commands[1].line == 9


def test_dash_heredoc_allows_tab_indented_delimiter() -> None:
    commands = block("cat <<-EOF\n\tbody\n\tEOF\necho after")
    assert argvs(commands) == [["cat"], ["echo", "after"]]


def test_two_heredocs_on_one_line() -> None:
    commands = block("paste <<A <<B\na1\nA\nb1\nB\nls")
    assert argvs(commands) == [["paste"], ["ls"]]
    assert commands[1].line == 10


def test_unclosed_heredoc_swallows_the_rest() -> None:
    assert argvs(block("cat <<EOF\nrm -rf /\n")) == [["cat"]]


def test_dollar_prompts_and_output_lines() -> None:
    commands = block("$ vrctl status\nweb  running\n$ ls -la \\\n  /tmp\ntotal 0")
    assert argvs(commands) == [["vrctl", "status"], ["ls", "-la", "/tmp"]]
    assert spans(commands[0]) == [(5, 3, 5, 8), (5, 9, 5, 15)]
    assert spans(commands[1])[2] == (8, 3, 8, 7)


def test_console_block() -> None:
    commands = block("$ ls\nfoo.txt\n$ echo hi", "console")
    assert argvs(commands) == [["ls"], ["echo", "hi"]]
    assert [c.line for c in commands] == [5, 7]


def test_a_console_block_without_prompts_is_read_as_commands() -> None:
    assert argvs(block("ls\necho hi", "console")) == [["ls"], ["echo", "hi"]]


@pytest.mark.parametrize("language", ["", "sh", "bash", "shell", "zsh", "console", "BASH"])
def test_shell_like_languages(language: str) -> None:
    assert argvs(block("ls -l", language)) == [["ls", "-l"]]


@pytest.mark.parametrize("language", ["python", "yaml", "text", "json", "toml"])
def test_other_languages_have_no_commands(language: str) -> None:
    assert block("ls -l", language) == ()


def test_env_assignments() -> None:
    (command,) = block('FOO=1 BAR="a b" cmd arg X=2')
    assert list(command.words) == ["cmd", "arg", "X=2"]
    assert [(t.raw, t.text) for t in command.assignments] == [
        ("FOO=1", "FOO=1"),
        ('BAR="a b"', "BAR=a b"),
    ]
    assert command.span == Span(5, 17, 5, 28)
    assert block("export A=1\nA=2") == block("export A=1")  # an assignment alone is no command


def test_crontab_lines() -> None:
    commands = block(
        "*/5 * * * * /usr/bin/backup --quick\n@daily vrctl snapshot\n"
        "0 3 * * mon-fri vrctl run --app x\nMAILTO=ops@example.com",
        "crontab",
    )
    assert argvs(commands) == [
        ["/usr/bin/backup", "--quick"],
        ["vrctl", "snapshot"],
        ["vrctl", "run", "--app", "x"],
    ]
    assert [c.source for c in commands] == ["crontab"] * 3
    assert [c.span.column for c in commands] == [13, 8, 17]


def test_crontab_line_in_a_shell_block() -> None:
    (command,) = block("0 3 * * 1-5 vrctl run")
    assert (command.source, list(command.words)) == ("crontab", ["vrctl", "run"])


def test_a_system_crontab_line_has_a_user_before_the_command() -> None:
    # Issue 12, item 14: /etc/crontab and /etc/cron.d lines put a user field before the
    # command; read as the command, the user hid every command of a system crontab.
    named = block("# /etc/cron.d/app\n*/15 * * * * app /usr/bin/python3 /opt/app/crl.py --quiet")
    assert argvs(named) == [["/usr/bin/python3", "/opt/app/crl.py", "--quiet"]]
    assert named[0].span.column == 18
    lead = parse_text(
        f"{FM}Add this line to `/etc/crontab`:\n\n```cron\n0 3 * * * www-data vrctl x\n```\n"
    ).commands
    assert argvs(lead) == [["vrctl", "x"]]
    # `root` is never the command; a user crontab's first word is.
    assert argvs(block("@daily root /usr/local/bin/rotate\n@daily app-backup --now", "cron")) == [
        ["/usr/local/bin/rotate"],
        ["app-backup", "--now"],
    ]


def test_crontab_lines_written_by_a_heredoc_are_commands() -> None:
    # The old cron skill wrote its system crontab with a heredoc: its lines were never read.
    commands = block(
        "cat <<'EOF' | tee /etc/cron.d/app\n"
        "SHELL=/bin/bash\n"
        "*/5 * * * * viberun cd /home/viberun/app && vrctl service restart web\n"
        "EOF\n"
        "cat > /home/viberun/app/job.py <<EOF\nprint(1)\nEOF"
    )
    assert [(c.source, c.span.line, list(c.words)) for c in commands] == [
        ("block", 5, ["cat"]),
        ("block", 5, ["tee", "/etc/cron.d/app"]),
        ("crontab", 7, ["cd", "/home/viberun/app"]),
        ("crontab", 7, ["vrctl", "service", "restart", "web"]),
        ("block", 9, ["cat"]),
    ]
    assert commands[2].span.column == 21


def test_five_words_that_are_not_a_schedule_stay_a_command() -> None:
    (command,) = block("echo 1 2 3 4 5")
    assert command.source == "block" and command.words[0] == "echo"


def test_fence_indented_in_a_list_item_keeps_file_columns() -> None:
    commands = parse_text(f"{FM}1. Run:\n\n   ```bash\n   vrctl status --all\n   ```\n").commands
    (command,) = commands
    assert spans(command) == [(7, 4, 7, 9), (7, 10, 7, 16), (7, 17, 7, 22)]


def test_inline_commands_start_with_a_known_tool() -> None:
    skill = parse_text(f"{FM}Run `vrctl status web` or `ls -l`, then `uv run app`.\n")
    assert [(c.source, list(c.words)) for c in skill.commands] == [
        ("inline", ["vrctl", "status", "web"]),
        ("inline", ["uv", "run", "app"]),
    ]
    assert spans(skill.commands[0]) == [(4, 6, 4, 11), (4, 12, 4, 18), (4, 19, 4, 22)]
    assert skill.commands[0].block_line == 0


def test_commands_are_sorted_by_position() -> None:
    skill = parse_text(f"{FM}Use `vrctl a`.\n\n```sh\nvrctl b\n```\n\nThen `vrctl c`.\n")
    assert [c.words[1] for c in skill.commands] == ["a", "b", "c"]


def test_commands_of_text_at_a_position() -> None:
    (command,) = commands_of_text("vrctl  status", line=10, column=5)
    assert spans(command) == [(10, 5, 10, 10), (10, 12, 10, 18)]


def test_empty_and_odd_input_never_raises() -> None:
    for text in ["", "\\", "'", '"', "$(", "`", "<", "<<", "2>", "&&", "| |", "<<EOF", "$"]:
        block(text)


# --- shlex as an oracle for words and quotes ---------------------------------------------------

_PIECES = (
    "a", "b", "x1", " ", " ", "  ", "'", '"', "\\", "-", "--f=", "=", "é", ".", "/", "*", "{",
    "}", "\t", "~",
)  # fmt: skip


def test_words_agree_with_shlex() -> None:
    """Word splitting, quote removal and backslash escapes agree with Python's POSIX shlex on
    generated simple commands. (Not compared: `\\<newline>`, which shlex keeps but a shell
    removes; `$`, which shlex does not expand either but we keep `$(...)` whole; `#`, which
    shlex takes as a comment anywhere, a shell only at a word's start.)"""
    import random
    import shlex

    generator = random.Random(20260809)
    compared = 0
    for _ in range(5000):
        text = "cmd " + "".join(generator.choice(_PIECES) for _ in range(generator.randint(1, 12)))
        try:
            expected = shlex.split(text, posix=True)
        except ValueError:
            continue  # an unterminated quote: shlex refuses, we end the word at the line
        got = commands_of_text(text)
        assert [list(c.words) for c in got] == [expected], repr(text)
        compared += 1
    assert compared > 2000


def test_every_special_character_has_its_reader() -> None:
    # The lexer hands each character of _SPECIAL to its reader: one missing would raise KeyError
    # on the first text that holds it, one extra would never be asked.
    assert set(_READERS) == _SPECIAL
