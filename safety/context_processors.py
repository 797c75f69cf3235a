from safety.selectors import banner_alerts


def alert_banner(request):
    """Active drug alerts for the banner on every page: read from the cache, at most one small query."""
    return {"banner_alerts": banner_alerts()}
