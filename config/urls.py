from allauth.account import views as account_views
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache

from config import health
from peers.views import no_email

# No email anywhere: allauth's routes that manage addresses, reset a password by email or confirm
# either answer 404, ahead of allauth's own URL conf (the paths mirror allauth.account.urls). The way
# back into an account is the recovery code: /accounts/recover/.
NO_EMAIL_ROUTES = [
    r"^accounts/email/$",
    r"^accounts/confirm-email/$",
    r"^accounts/confirm-email/(?P<key>[-:\w]+)/$",
    r"^accounts/password/reset/$",
    r"^accounts/password/reset/done/$",
    r"^accounts/password/reset/confirm/$",
    r"^accounts/password/reset/complete/$",
    r"^accounts/password/reset/key/done/$",
    r"^accounts/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
    r"^accounts/login/code/$",
    r"^accounts/login/code/confirm/$",
]

urlpatterns = [
    path("healthz", health.ready, name="healthz"),
    path("healthz/ready", health.ready, name="healthz-ready"),
    path("healthz/live", health.live, name="healthz-live"),
    *[re_path(route, no_email) for route in NO_EMAIL_ROUTES],
    # A personal page, like settings: never kept in a browser's cache (docs/accounts.md, "Shared devices").
    path("accounts/password/change/", never_cache(account_views.password_change)),
    path("accounts/", include("allauth.urls")),
    path("", include("peers.urls")),
    path("", include("moderation.urls")),
    path("", include("checking.urls")),
    path("", include("safety.urls")),
    path("", include("spotting.urls")),
    path("", include("helpnow.urls")),
    path("", include("rooms.urls")),
    path("", include("voice.urls")),
    path("", include("forum.urls")),
    path("", include("community.urls")),
]
