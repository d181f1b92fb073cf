"""Where each key of a TOML text is: tomllib parses without positions, so a small scanner over
the (already valid) text records the line of each key, array item and table header, for error
messages and for `skillkit config`'s `FILE:LINE` origins."""

from __future__ import annotations

import re
import tomllib

from skillkit.config.specs import KeyPath


class KeyLines:
    """The line of each key, array item and table header of a TOML text, by its `KeyPath`.

    tomllib gives no positions, so a small scanner over the (already valid) text finds them.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lines: dict[KeyPath, int] = {}
        self._scan()

    def line_of(self, path: KeyPath) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None

    @property
    def _line(self) -> int:
        return self.text.count("\n", 0, self.pos) + 1

    def _peek(self, count: int = 1) -> str:
        return self.text[self.pos : self.pos + count]

    def _record(self, path: KeyPath) -> None:
        self.lines.setdefault(path, self._line)

    def _skip_space(self, newlines: bool) -> None:
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self.pos += 1
            elif char == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def _string(self) -> str:
        quote = self._peek(3)
        if quote in ('"""', "'''"):
            end = self.text.find(quote, self.pos + 3)
            while quote == '"""' and end > 0 and self.text[end - 1] == "\\":
                end = self.text.find(quote, end + 1)
            end = len(self.text) if end < 0 else end + 3
            while self.text[end : end + 1] == quote[0]:  # up to two quotes may end the content
                end += 1
            raw = self.text[self.pos : end]
            self.pos = end
            return raw
        quote = self._peek()
        index = self.pos + 1
        while index < len(self.text) and self.text[index] != quote:
            index += 2 if quote == '"' and self.text[index] == "\\" else 1
        raw = self.text[self.pos : index + 1]
        self.pos = index + 1
        try:
            return str(tomllib.loads(f"k = {raw}")["k"])
        except tomllib.TOMLDecodeError:
            return raw[1:-1]

    def _key(self) -> KeyPath:
        parts: list[str | int] = []
        while True:
            self._skip_space(False)
            if self._peek() in ('"', "'"):
                parts.append(self._string())
            else:
                match = re.compile(r"[A-Za-z0-9_-]+").match(self.text, self.pos)
                if not match:
                    break
                parts.append(match.group())
                self.pos = match.end()
            self._skip_space(False)
            if self._peek() != ".":
                break
            self.pos += 1
        return tuple(parts)

    def _value(self, path: KeyPath) -> None:
        self._skip_space(False)
        char = self._peek()
        if char in ('"', "'"):
            self._string()
        elif char == "[":
            self.pos += 1
            index = 0
            while self.pos < len(self.text):
                self._skip_space(True)
                if self._peek() == "]":
                    self.pos += 1
                    return
                self._record((*path, index))
                self._value((*path, index))
                self._skip_space(True)
                if self._peek() == ",":
                    self.pos += 1
                    index += 1
        elif char == "{":
            self.pos += 1
            while self.pos < len(self.text):
                self._skip_space(True)
                if self._peek() == "}":
                    self.pos += 1
                    return
                if self._peek() == ",":
                    self.pos += 1
                    continue
                key = self._key()
                self._record_key((*path, *key))
                self._skip_space(False)
                self.pos += 1  # the `=`
                self._value((*path, *key))
        else:
            match = re.compile(r"[^,\]}\n#]*").match(self.text, self.pos)
            self.pos = match.end() if match else self.pos + 1

    def _record_key(self, path: KeyPath) -> None:
        for length in range(1, len(path) + 1):
            self._record(path[:length])

    def _scan(self) -> None:
        table: KeyPath = ()
        counts: dict[KeyPath, int] = {}
        while True:
            self._skip_space(True)
            if self.pos >= len(self.text):
                return
            if self._peek(2) == "[[":
                self.pos += 2
                name = self._key()
                index = counts.get(name, 0)
                counts[name] = index + 1
                table = (*name, index)
                self._record_key(table)
                self.pos = self.text.find("]]", self.pos) + 2
            elif self._peek() == "[":
                self.pos += 1
                table = self._key()
                self._record_key(table)
                self.pos = self.text.find("]", self.pos) + 1
            else:
                start = self.pos
                key = self._key()
                if not key or self._peek() != "=":
                    # Not a key we understand: skip the line rather than loop forever.
                    end = self.text.find("\n", start)
                    self.pos = len(self.text) if end < 0 else end + 1
                    continue
                self._record_key((*table, *key))
                self.pos += 1
                self._value((*table, *key))
