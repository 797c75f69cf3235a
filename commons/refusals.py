"""One refusal for every app: an action turned down for a reason the person can read.

`code` names the reason for the socket protocols (rooms' `invalid`, `rate_limited`, ...; Get help now's
`taken`, `limit`, ...), `detail` is the sentence the person reads. A socket sends both as
`{"type": "error", "code": ..., "detail": ...}` (commons.consumers.GuardedConsumer.send_refusal); a view
answers with `detail` and the HTTP status of `code` (`http_status`).
"""

# The HTTP status of each code a view can meet; any other code is a 400.
HTTP_STATUS = {"forbidden": 403, "taken": 409, "closed": 409, "limit": 409, "rate_limited": 429}


class Refusal(Exception):
    """A refused action: `code` for the protocols, `detail` a readable sentence. Nothing was stored."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = str(detail)  # a lazy translation becomes the words of the language active now (JSON-ready)

    @property
    def http_status(self) -> int:
        """The status a view answers with: 400 unless the code says otherwise."""
        return HTTP_STATUS.get(self.code, 400)
