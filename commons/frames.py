"""Checks on a client's WebSocket frame before anything else reads it: size, JSON, depth, text that can be stored.

A frame that fails is answered with the protocol's `invalid` error and goes no further: not to a service,
not to the database (PostgreSQL refuses NUL in text, and a lone surrogate cannot be encoded to UTF-8),
not to a recursion that ends the consumer (JSON nested a thousand deep).
"""

import json

MAX_FRAME_CHARS = 16_384  # a 2,000-character message in JSON with escapes fits with room to spare
MAX_DEPTH = 4  # our frames are flat objects; a little room for future ones

TOO_BIG = f"That frame is too large: frames can be up to {MAX_FRAME_CHARS:,} characters."
TOO_DEEP = "That frame is nested too deeply."
NOT_TEXT = "Frames must be JSON text."
NOT_AN_OBJECT = "Frames must be JSON objects, like {\"type\": \"...\"}."
BAD_CHARACTERS = "That frame holds characters that cannot be stored (a NUL, or half of an emoji)."


class FrameRefused(ValueError):
    """A frame that must not go further; the message is the readable detail."""


def _check_text(value: str) -> None:
    if "\x00" in value:
        raise FrameRefused(BAD_CHARACTERS)
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate, from a "\ud800" escape
            raise FrameRefused(BAD_CHARACTERS) from None


def _check_values(content) -> None:
    """Walk the decoded frame without recursion: every key and string must be storable, nesting shallow."""
    pending = [(content, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise FrameRefused(TOO_DEEP)
            if isinstance(value, dict):
                for key, item in value.items():
                    _check_text(key)
                    pending.append((item, depth + 1))
            else:
                pending.extend((item, depth + 1) for item in value)


def _nesting_exceeds(text: str, limit: int) -> bool:
    """True if JSON brackets outside strings open deeper than `limit`: a cheap bound before the parser recurses."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def parse_frame(text_data: str | None, bytes_data: bytes | None = None) -> dict:
    """The frame as a dict, or FrameRefused with the reason a person can read."""
    if text_data is None:
        raise FrameRefused(NOT_TEXT)
    if len(text_data) > MAX_FRAME_CHARS:
        raise FrameRefused(TOO_BIG)
    # Only a frame with many brackets is scanned (a real frame has one or two).
    if text_data.count("[") + text_data.count("{") > MAX_DEPTH and _nesting_exceeds(text_data, MAX_DEPTH):
        raise FrameRefused(TOO_DEEP)
    _check_text(text_data)
    try:
        content = json.loads(text_data)
    except (ValueError, RecursionError):
        raise FrameRefused(NOT_TEXT) from None
    if not isinstance(content, dict):
        raise FrameRefused(NOT_AN_OBJECT)
    _check_values(content)
    return content
