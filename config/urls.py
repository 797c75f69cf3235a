from django.urls import include, path

from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("peers.urls")),
    path("", include("moderation.urls")),
    path("", include("safety.urls")),
    path("", include("helpnow.urls")),
    path("", include("rooms.urls")),
    path("", include("forum.urls")),
]
