"""commons.logs in one process: what a record from a library becomes, and what an exception prints."""

import json
import logging

from commons.logs import OneLineFormatter, PrivacyFilter, scrub


def _line(name: str, msg, *args, fmt: str = "plain", exc_info=None) -> str | None:
    record = logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, exc_info)
    if not PrivacyFilter().filter(record):
        return None
    return OneLineFormatter(fmt).format(record)


def test_uvicorn_socket_lines_are_dropped_whatever_their_status():
    for template in ('%s - "WebSocket %s" [accepted]', '%s - "WebSocket %s" 403', '%s - "WebSocket %s" %d'):
        assert _line("uvicorn.error", template, "127.0.0.1:34394", "/ws/rooms/help-5b86/", 500) is None
    assert _line("uvicorn.access", '%s - "%s %s HTTP/%s" %d', "10.0.0.1:1", "GET", "/", "1.1", 200) is None


def test_a_librarys_arguments_are_withheld_and_only_its_first_line_kept():
    line = _line("django.request", "Forbidden (%s): %s", "CSRF", "/rooms/help-5b86/")
    assert "help-5b86" not in line and "[withheld]" in line
    assert _line("asyncio", "Task exception was never retrieved\nfuture: <Task exception=ValueError('river')>").endswith(
        "Task exception was never retrieved")
    assert "OSError" in _line("uvicorn.error", OSError("bind on address ('127.0.0.1', 8000)"))
    assert "port 8000" in _line("uvicorn.error", "Uvicorn running on %s://%s:%d (Press CTRL+C to quit)", "http", "10.1.2.3", 8000)


def test_an_exception_prints_its_frames_and_type_never_its_message():
    try:
        try:
            raise KeyError("river's message: meet at 5")
        except KeyError:
            raise ValueError("content of a post") from None
    except ValueError as error:
        exc_info = (type(error), error, error.__traceback__)
    line = _line("rooms.consumers", "storing failed", exc_info=exc_info)
    assert "ValueError" in line and "test_logs.py" in line
    assert "content of a post" not in line and "river" not in line and "\n" not in line


def test_json_is_one_object_a_line_and_addresses_are_scrubbed_everywhere():
    record = json.loads(_line("rooms.fanout", "peer at %s, room %s", "2001:db8::7", "help-ab12cd", fmt="json"))
    assert record["message"] == "peer at [address], room help-[room]"
    assert scrub("from 203.0.113.9 and ::1 at 19:22:07") == "from [address] and [address] at 19:22:07"
