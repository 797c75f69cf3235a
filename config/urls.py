from django.urls import include, path

from config import health

urlpatterns = [
    path("healthz", health.ready, name="healthz"),
    path("healthz/ready", health.ready, name="healthz-ready"),
    path("healthz/live", health.live, name="healthz-live"),
    path("accounts/", include("allauth.urls")),
    path("", include("peers.urls")),
    path("", include("moderation.urls")),
    path("", include("safety.urls")),
    path("", include("helpnow.urls")),
    path("", include("rooms.urls")),
    path("", include("forum.urls")),
]
