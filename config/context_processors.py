from django.conf import settings


def site(request):
    """Values every page needs: the site name, emergency number, quick-exit target."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER,
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "OPEN_DATA_LICENCE": settings.OPEN_DATA_LICENCE,
        "OPEN_DATA_LICENCE_URL": settings.OPEN_DATA_LICENCE_URL,
        "SPOTTING_ENABLED": settings.SPOTTING_ENABLED,
    }
