"""Open sockets end with the session that opened them (commons.realtime.person_sockets_close).

Connected in PeersConfig.ready(): a logout closes the sockets of that session; a password change, set or
reset closes every socket of the person (their other sessions are no longer valid, and the session the change
was made in gets a new key). Deletion and recovery close them in peers.services; a suspension or a ban in
moderation.actions."""

from commons.realtime import CLOSE_SESSION_ENDED, person_sockets_close


def close_on_logout(sender, request, user, **kwargs) -> None:
    if user is None or request is None:
        return
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        person_sockets_close(peer_id=user.pk, code=CLOSE_SESSION_ENDED, only_session_key=session_key)
    else:
        person_sockets_close(peer_id=user.pk, code=CLOSE_SESSION_ENDED)


def close_on_password_change(sender, user, **kwargs) -> None:
    person_sockets_close(peer_id=user.pk, code=CLOSE_SESSION_ENDED)
