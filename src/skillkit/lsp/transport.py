"""Work-arounds for two gaps of pygls (2.1) at the JSON-RPC layer, so that a broken client or
a hostile message cannot leave the editor waiting forever.

1. A request whose parameters fail validation (`"line": -1`, `"params": null`) is turned into
   an exception inside pygls' JSON decoding (its `object_hook`), which its read loop only logs:
   no response is sent, and the client waits for one forever. `SkillProtocol` catches that
   failure for a request and answers it with the JSON-RPC error `-32602 Invalid params`.
2. pygls reads a header line, then exactly `Content-Length` bytes. A frame whose length is
   wrong leaves the rest of its body in front of the next header, which then no longer starts
   its line, is not recognised, and every later message is lost the same way. `FramedStdin`
   finds a header wherever it starts in the line, so the stream recovers at the next frame
   (the broken message itself is lost: its id cannot be known), and a length over
   `MAX_MESSAGE_BYTES` (the read would wait for, and hold, that much) ends the server cleanly,
   as the end of its input does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, BinaryIO

from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.protocol import LanguageServerProtocol

logger = logging.getLogger(__name__)

HEADER = b"Content-Length:"
# No real message comes near this (a whole SKILL.md is at most `max-file-bytes`).
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
# A header line is short; a longer "line" is a body without line breaks, read in pieces.
MAX_LINE_BYTES = 64 * 1024


@dataclass(frozen=True)
class _Refused:
    """A request pygls could not decode, to be answered with an error."""

    id: int | str
    error: JsonRpcException
    method: str


class SkillProtocol(LanguageServerProtocol):
    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            message_id = data.get("id")
            if "method" in data and isinstance(message_id, (int, str)):
                return _Refused(message_id, error, str(data.get("method")))
            raise  # a notification gets no answer; pygls logs it

    def handle_message(self, message: Any) -> None:
        if isinstance(message, _Refused):
            error = message.error
            if isinstance(error, JsonRpcInvalidParams):
                error = JsonRpcInvalidParams(f"Invalid params for {message.method}")
            self._send_response(message.id, error=error.to_response_error())
            return
        super().handle_message(message)


class FramedStdin:
    """The server's input, read by pygls' loop line by line and body by body; see the module
    docstring (2.)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def readline(self) -> bytes:
        line = self.stream.readline(MAX_LINE_BYTES)
        start = line.find(HEADER)
        if start > 0:
            logger.error("skipped %d bytes of a broken frame before a header", start)
            line = line[start:]
        if start >= 0:
            length = line[len(HEADER) :].strip()
            if length.isdigit() and int(length) > MAX_MESSAGE_BYTES:
                logger.error("a message of %s bytes: the input is broken; stopping", length)
                return b""  # the end of the input: pygls' loop stops, the server exits
        return line

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)
