"""Where a request comes from, for rate limits only: never stored, never logged (commons.limits hashes it).

The address is the TCP peer's (REMOTE_ADDR) unless that peer is one of TRUSTED_PROXIES: then it is the
right-most address in X-Forwarded-For that is not itself a trusted proxy, the one the nearest proxy saw.
Everything to the left of that is whatever the client chose to send, so it is never read. With no trusted
proxy configured, X-Forwarded-For is ignored altogether. The ASGI server must not rewrite the address
itself (uvicorn `--no-proxy-headers`, as the Makefile runs it): uvicorn trusts 127.0.0.1 by default, so
anyone on the machine could otherwise pick their own address.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in proxies if entry.strip())


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The client's address as this site can know it (see the module docstring); "" if unknown."""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    if not _is_trusted(peer):
        return peer
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for hop in reversed(forwarded):
        if not _is_trusted(hop):
            return hop
    return peer
