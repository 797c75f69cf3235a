from peers.selectors import unread_notifications_count


def notifications(request):
    """Unread count for the header, only for signed-in people (cached: see peers.selectors)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_notifications_count(peer=user)}
