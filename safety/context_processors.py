from safety.selectors import banner_alerts, followed_regions


def alert_banner(request):
    """Active drug alerts for the banner on every page, the reader's regions first: read from the cache, at most
    one small query (and a member's regions, cached too)."""
    return {"banner_alerts": banner_alerts(followed_regions(request))}
