"""The language server under broken JSON-RPC (issue 13, item 16): a request with invalid
parameters gets an error response, a frame with a wrong `Content-Length` does not make the
stream lose every later message, and an absurd length ends the server cleanly.

The server runs as `skillkit lsp` in a subprocess, spoken to byte by byte, with a deadline on
every read so that a hang fails the test.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

DEADLINE_SECONDS = 20


def frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def hover(message_id: int, params: Any) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": message_id, "method": "textDocument/hover", "params": params}


GOOD_HOVER = {
    "textDocument": {"uri": "file:///nowhere/SKILL.md"},
    "position": {"line": 0, "character": 0},
}


class Server:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "skillkit", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.buffer = b""

    def send(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def responses(self) -> Iterator[dict[str, Any]]:
        """The messages the server sends, until the deadline (then the test fails)."""
        assert self.process.stdout is not None
        descriptor = self.process.stdout.fileno()
        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            while b"\r\n\r\n" in self.buffer:
                head, rest = self.buffer.split(b"\r\n\r\n", 1)
                length = int(head.split(b"Content-Length:")[1].split(b"\r\n")[0])
                if len(rest) < length:
                    break
                self.buffer = rest[length:]
                yield json.loads(rest[:length])
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail("no answer from the server in time")
            ready, _, _ = select.select([descriptor], [], [], left)
            if ready:
                chunk = os.read(descriptor, 65536)
                if not chunk:
                    return
                self.buffer += chunk

    def answer(self, message_id: int) -> dict[str, Any]:
        for message in self.responses():
            if message.get("id") == message_id and "method" not in message:
                return message
        pytest.fail(f"the server ended without answering request {message_id}")

    def start(self) -> None:
        self.send(
            frame(
                {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
            )
        )
        assert "result" in self.answer(1)
        self.send(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    try:
        running.start()
        yield running
    finally:
        running.close()


@pytest.mark.parametrize(
    "params",
    [
        {"textDocument": {"uri": "file:///x/SKILL.md"}, "position": {"line": -1, "character": 0}},
        None,
        {"position": {"line": 0, "character": 0}},
    ],
    ids=["negative-line", "null", "missing-field"],
)
def test_invalid_params_get_an_error_response(server: Server, params: Any) -> None:
    server.send(frame(hover(2, params)))
    assert server.answer(2) == {
        "jsonrpc": "2.0",
        "id": 2,
        "error": {"code": -32602, "message": "Invalid params for textDocument/hover"},
    }
    server.send(frame(hover(3, GOOD_HOVER)))
    assert server.answer(3) == {"jsonrpc": "2.0", "id": 3, "result": None}


@pytest.mark.parametrize(
    "broken",
    [
        b"Content-Length: 5\r\n\r\n" + json.dumps(hover(2, GOOD_HOVER)).encode(),  # too short
        b"Content-Length: abc\r\n\r\n{}",  # not a number
        b"garbage without a header",
    ],
    ids=["length-too-short", "length-not-a-number", "garbage"],
)
def test_a_broken_frame_does_not_lose_the_messages_after_it(server: Server, broken: bytes) -> None:
    server.send(broken)
    for message_id in (4, 5):
        server.send(frame(hover(message_id, GOOD_HOVER)))
    # At most the message right after the broken bytes is lost with them; the next is answered.
    assert server.answer(5) == {"jsonrpc": "2.0", "id": 5, "result": None}


def test_an_absurd_length_ends_the_server_cleanly(server: Server) -> None:
    server.send(b"Content-Length: 99999999999999\r\n\r\n{}")
    assert list(server.responses()) == []  # the output ends: no hang, no answer
    assert server.process.wait(timeout=DEADLINE_SECONDS) == 0


def test_a_request_on_an_unopened_fifo_does_not_hang(server: Server, tmp_path: Path) -> None:
    # pygls reads a document that is not open from disk, unbounded: a FIFO blocked it forever.
    folder = tmp_path / "demo"
    folder.mkdir()
    os.mkfifo(folder / "SKILL.md")
    uri = (folder / "SKILL.md").as_uri()
    params = {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}
    server.send(
        frame({"jsonrpc": "2.0", "id": 6, "method": "textDocument/completion", "params": params})
    )
    assert server.answer(6) == {
        "jsonrpc": "2.0",
        "id": 6,
        "result": {"isIncomplete": False, "items": []},
    }
