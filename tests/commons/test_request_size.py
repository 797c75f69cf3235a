"""A request body past REQUEST_BODY_MAX_BYTES is refused before anything reads it (issue 13, item 11)."""

import asyncio

import pytest
from django.core.handlers import asgi as django_asgi
from django.test import override_settings

from config.asgi import application

MB = 1024 * 1024


def _scope(path: str, length: int | None, content_type: bytes = b"multipart/form-data; boundary=x"):
    headers = [(b"host", b"testserver"), (b"content-type", content_type)]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": headers,
            "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}


async def _post(scope, chunks):
    """Send `chunks` (a generator of bytes) as the body; returns (status, body, bytes the server asked for)."""
    sent = []
    taken = 0
    queue = iter(chunks)
    following = next(queue, None)

    async def receive():
        nonlocal taken, following
        chunk = following
        if chunk is None:
            await asyncio.sleep(3600)  # the body is sent: the client waits for the answer
        following = next(queue, None)
        taken += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": following is not None}

    async def send(message):
        sent.append(message)

    await asyncio.wait_for(application(scope, receive, send), timeout=20)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body.decode(), taken


@pytest.fixture
def spooled_writes(monkeypatch):
    """Every byte Django's ASGI handler writes into its request-body file (memory or disk)."""
    written = []
    real = django_asgi.tempfile.SpooledTemporaryFile

    class Recording(real):
        def write(self, data):
            written.append(len(data))
            return super().write(data)

    monkeypatch.setattr(django_asgi.tempfile, "SpooledTemporaryFile", Recording)
    return written


def _chunks(total: int, size: int = 64 * 1024):
    while total > 0:
        yield b"x" * min(size, total)
        total -= size


@pytest.mark.django_db(transaction=True)
async def test_an_anonymous_200_mb_login_post_is_refused_before_django_reads_it(spooled_writes):
    status, body, taken = await _post(_scope("/accounts/login/", 200 * MB), _chunks(200 * MB))
    assert status == 413
    assert "Nothing was saved" in body
    assert taken == 0 and spooled_writes == []


@pytest.mark.django_db(transaction=True)
async def test_a_chunked_body_stops_being_read_at_the_limit(spooled_writes):
    status, body, taken = await _post(_scope("/accounts/login/", None), _chunks(50 * MB))
    assert status == 413
    assert taken <= MB + 64 * 1024
    assert sum(spooled_writes) <= MB + 64 * 1024


@pytest.mark.django_db(transaction=True)
@override_settings(REQUEST_BODY_MAX_BYTES=1000)
async def test_a_body_within_the_limit_reaches_the_view():
    body = b"login=someone&password=wrong-password"
    scope = _scope("/accounts/login/", len(body), content_type=b"application/x-www-form-urlencoded")
    status, _, _ = await _post(scope, iter([body]))
    assert status != 413  # the login view answered (403: this test sends no CSRF token)


@pytest.mark.django_db(transaction=True)
async def test_a_declared_length_that_is_not_a_number_is_refused():
    scope = _scope("/accounts/login/", None)
    scope["headers"].append((b"content-length", b"12abc"))
    status, _, _ = await _post(scope, _chunks(10))
    assert status == 413


@pytest.mark.django_db
def test_django_refuses_form_data_past_the_same_limit(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    response = client.post("/accounts/login/", {"login": "x" * 5000, "password": "p"})
    assert response.status_code == 400


def test_nothing_a_request_sends_is_written_to_disk():
    from django.conf import settings

    assert settings.FILE_UPLOAD_HANDLERS == ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= settings.REQUEST_BODY_MAX_BYTES <= 2 * MB
