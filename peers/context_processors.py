def notifications(request):
    """Unread count for the header; one small indexed query, only for signed-in people."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": user.notifications.filter(read_at__isnull=True).count()}
