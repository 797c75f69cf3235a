"""Settings read from the environment; embedded defaults for development.

DJANGO_DEBUG=0 with DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS gives the
production settings (`manage.py check --deploy` is clean).
DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.

Every variable is read once, typed, through environs: a value of the wrong type stops start-up with
`Environment variable "NAME" invalid: ...` rather than being half-understood. Booleans take 1/0 (also
true/false, yes/no, on/off); lists are comma-separated, blanks ignored. No .env file is read.
"""

import os
import secrets
from pathlib import Path

from environs import Env, EnvError
from marshmallow.validate import OneOf
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import ExponentialWithJitterBackoff, NoBackoff
from redis.retry import Retry

env = Env()


@env.parser_for("csv")
def _comma_separated(value) -> list[str]:
    """`a, b,,c` -> ["a", "b", "c"]."""
    return [item.strip() for item in str(value).split(",") if item.strip()]


@env.parser_for("rate_limit")
def _rate_limit(value) -> tuple[int, int]:
    """`count/seconds`, e.g. `20/600` -> (20, 600)."""
    count, _, seconds = str(value).partition("/")
    if not (count.strip().isdigit() and seconds.strip().isdigit()):
        raise EnvError("Not a rate limit: give count/seconds, e.g. 20/600.")
    return int(count), int(seconds)


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env.path("DJANGO_VAR_DIR", BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DJANGO_DEBUG", True)


def _development_secret_key() -> str:
    """A per-checkout secret kept in the ignored var/ folder, never in code."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env.str("DJANGO_SECRET_KEY", "") or _development_secret_key()

ALLOWED_HOSTS = env.csv("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env.csv("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "channels",
    "allauth",
    "allauth.account",
    "peers",
    "forum",
    "rooms",
    "moderation",
    "checking",
    "safety",
    "helpnow",
    "voice",
    "spotting",
    "community",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "commons.languages.LanguageResetMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "commons.zones.LocalTimeMiddleware",
    "commons.languages.AccountLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "commons.middleware.ContentSecurityPolicyMiddleware",
    "commons.middleware.RefusedFormStatusMiddleware",
    "commons.middleware.RateLimitedMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
                "peers.context_processors.notifications",
                "safety.context_processors.alert_banner",
                "helpnow.context_processors.on_duty",
            ],
            "libraries": {"assets": "commons.assets", "phones": "commons.phones", "when": "commons.when"},
        },
    },
    {
        # Only for partials that DTL renders too slowly (the thread page's posts): docs/architecture.md.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "config.jinja2.environment"},
    },
]

# Databases: SQLite under var/ unless DATABASE_URL names another.
DATABASES = {
    "default": env.dj_db_url(
        "DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env.int("DJANGO_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # Tests use a file too: an in-memory shared-cache database answers "table is locked" at once to a
    # second connection (a consumer's thread) instead of waiting, which the file database in WAL mode does.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_db.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not DATABASES["default"]["CONN_MAX_AGE"]:
    # Under ASGI every HTTP request runs in a thread of its own, so persistent connections (CONN_MAX_AGE)
    # are never reused: each page would open a new connection. Django's psycopg pool hands a
    # connection to each request and takes it back after (docs/performance.md). DJANGO_DB_POOL=0 turns it off.
    if env.bool("DJANGO_DB_POOL", True):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 2,
            "max_size": env.int("DJANGO_DB_POOL_SIZE", 20),
            "timeout": 10,
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Channel layer and cache: in memory unless REDIS_URL names a Redis server.
REDIS_URL = env.str("REDIS_URL", "")
if REDIS_URL:
    # Both ride out a Redis restart or outage (docs/reliability.md). Time-outs are short so that a Redis that
    # stopped answering costs a second, not minutes; the layer's read time-out stays above channels-redis'
    # 5-second blocking read, and a read time-out never ends a socket (commons.layers retries it).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "commons.layers.ResilientRedisChannelLayer",
            "CONFIG": {
                "hosts": [{
                    "address": REDIS_URL, "socket_connect_timeout": 2, "socket_timeout": 10,
                    "retry": AsyncRetry(ExponentialWithJitterBackoff(cap=0.5, base=0.05), 2),
                }],
                "prefix": env.str("CHANNEL_PREFIX", "hrc"),
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "commons.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_PREFIX", "hrc"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "retry": Retry(NoBackoff(), 1)},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Accounts: a pseudonym and a password are enough.
AUTH_USER_MODEL = "peers.Peer"
# One backend: allauth's, with permissions from the cache and a lean read of the signed-in person.
AUTHENTICATION_BACKENDS = ["peers.backends.CachedPermissionsBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_ADAPTER = "peers.adapters.PeerAccountAdapter"
ACCOUNT_FORMS = {
    "signup": "peers.forms.PseudonymSignupForm",
    "login": "peers.forms.PseudonymLoginForm",
    "change_password": "peers.forms.PasswordChangeForm",
}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
# No email anywhere: the user model has no email field, and allauth's email routes answer 404 (config/urls.py).
ACCOUNT_USER_MODEL_EMAIL_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_USERNAME_VALIDATORS = "peers.pseudonyms.PSEUDONYM_VALIDATORS"
# Reserved names (moderator, former member, ...) and look-alikes of them or of any existing pseudonym are
# refused by peers.pseudonyms / peers.selectors.check_pseudonym_free, not by allauth's exact-match blacklist.
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_REDIRECT_URL = "/accounts/recovery-code/"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
LOGIN_URL = "/accounts/login/"
# Rate limits: one table in commons/limits.py, enforced by our services and by peers.adapters for log-in,
# sign-up and password change; allauth's own limiter is off (its limits keyed a failed log-in on the
# pseudonym alone, so anyone could lock anyone out from anywhere).
ACCOUNT_RATE_LIMITS = False
# RATE_LIMIT_<NAME>="count/seconds" overrides one limit of the table, e.g. RATE_LIMIT_FORUM_POST=20/600;
# the names vary, so this is the one place that lists the environment rather than reading one variable.
RATE_LIMITS = {
    name[len("RATE_LIMIT_"):].lower(): env.rate_limit(name)
    for name in sorted(os.environ)
    if name.startswith("RATE_LIMIT_")
}
# The addresses of the reverse proxies in front of the app (IPs or networks, comma-separated). Only a
# request from one of them has its X-Forwarded-For read (commons.clients); with none, the header is ignored.
TRUSTED_PROXIES = env.csv("TRUSTED_PROXIES", "")

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
# The site is written in English only. Translation machinery off: under ASGI each lookup of the active
# language goes through a context variable, and every {% url %} and reverse() asks for it (docs/performance.md).
# Spanish and French beside English (issue 17; docs/translating.md). Catalogues in locale/, compiled .mo files
# committed; `make messages` refreshes them. Members' choice is kept in the account (commons.languages).
USE_I18N = True
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Logs: one line per record (JSON with LOG_FORMAT=json), our own access log by route, never an address,
# a pseudonym, a path or content (commons.logs, config/logging.py, docs/deploy.md "Logs").
from config.logging import logging_config  # noqa: E402

LOGGING = logging_config(level=os.environ.get("LOG_LEVEL", "INFO"), fmt=os.environ.get("LOG_FORMAT", "plain"))

# Request bodies: the site takes no uploads. A body above REQUEST_BODY_MAX_BYTES is refused with 413 before
# Django reads it (commons.asgi); Django's own form limit is the same, and nothing a request sends is ever
# written to disk (uploads, if a form ever had one, stay in memory within that limit). A post of 20,000
# characters, each percent-encoded, fits well inside 1 MB.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]

# Sessions are read from the cache (Redis when REDIS_URL is set) and written through to the database:
# one query less on every page. Several processes must share Redis, as they must for the channel layer.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"  # never to other hosts; "no-referrer" makes browsers send Origin: null, failing CSRF
SECURE_CONTENT_TYPE_NOSNIFF = True

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Community settings (each can be set from the environment).
SITE_NAME = env.str("SITE_NAME", "Harm Reduction Commons")
EMERGENCY_NUMBER = env.str("EMERGENCY_NUMBER", "911")
QUICK_EXIT_URL = env.str("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")
SIGNUP_OPEN = env.bool("SIGNUP_OPEN", True)
# A deleted account's pseudonym can't be registered again for this many days (kept only as a keyed hash).
PEERS_DELETED_PSEUDONYM_DAYS = env.int("PEERS_DELETED_PSEUDONYM_DAYS", 90)

# --- rooms ---
# Chat limits (room_message: 8 messages per person per 10 s across rooms; room_typing) are in commons/limits.py.
# Presence rows are refreshed every HEARTBEAT seconds and stop counting after TTL (a crashed process).
ROOMS_PRESENCE_HEARTBEAT = env.int("ROOMS_PRESENCE_HEARTBEAT", 30)
ROOMS_PRESENCE_TTL = env.int("ROOMS_PRESENCE_TTL", 90)
# Every this many seconds each process reads back any room message whose broadcast it missed (docs/reliability.md).
ROOMS_CATCH_UP_SECONDS = env.float("ROOMS_CATCH_UP_SECONDS", 5.0)
# Opt-in: CHANNEL_LAYER=pubsub uses channels-redis' pub/sub layer (one publish per group message, fanned
# out inside each process) instead of one Redis list entry per socket. See docs/performance.md, "Live rooms".
if REDIS_URL and env.str("CHANNEL_LAYER", "redis", validate=OneOf(["redis", "pubsub", ""])) == "pubsub":
    CHANNEL_LAYERS["default"]["BACKEND"] = "channels_redis.pubsub.RedisPubSubChannelLayer"

# --- forum ---
# Posting limits (forum_post, forum_post_new) are in commons/limits.py; accounts younger than
# FORUM_NEW_ACCOUNT_DAYS meet the stricter one.
FORUM_NEW_ACCOUNT_DAYS = env.int("FORUM_NEW_ACCOUNT_DAYS", 7)
# PostgreSQL text-search configuration for forum search (stemming language).
FORUM_SEARCH_CONFIG = env.str("FORUM_SEARCH_CONFIG", "english")

# --- safety ---
# "Established" members may post drug alerts (held for a moderator); moderators and organisers publish at once.
# Drug-checking results and feeds (docs/supply.md): the deployment's regions (comma-separated names), the most
# rows one CSV file may hold, and the licence the open data is published under (shown on the pages and feeds).
SUPPLY_REGIONS = env.csv("SUPPLY_REGIONS", "Downtown,Eastside,Northside,Southside,West End")
RESULTS_IMPORT_MAX_ROWS = env.int("RESULTS_IMPORT_MAX_ROWS", 10_000)
OPEN_DATA_LICENCE = env.str("OPEN_DATA_LICENCE", "CC BY 4.0")
OPEN_DATA_LICENCE_URL = env.str("OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/")

SAFETY_ESTABLISHED_DAYS = env.int("SAFETY_ESTABLISHED_DAYS", 30)
SAFETY_ESTABLISHED_POSTS = env.int("SAFETY_ESTABLISHED_POSTS", 5)
# The Good Samaritan / legal-protection note (Markdown), linked from /help/overdose/; set it for your area.
SAFETY_GOOD_SAMARITAN_NOTE = env.str(
    "SAFETY_GOOD_SAMARITAN_NOTE",
    "Many places have **Good Samaritan laws**: if you call for help at an overdose, you and the person "
    "overdosing may be protected from some drug-possession charges. What they cover, and what they don't "
    "(for example warrants, parole or probation conditions, or selling), differs from place to place.\n\n"
    "This community has not checked the law where you are. A local harm-reduction service or legal aid "
    "clinic can tell you what applies. Whatever the law says, calling for help saves lives.",
)

# --- moderation ---
# Reports from this many distinct established members hide a post or message until a moderator looks.
MODERATION_REPORT_THRESHOLD = env.int("MODERATION_REPORT_THRESHOLD", 3)
# New accounts (fewer approved posts than this, or younger than this many hours) are pre-moderated.
MODERATION_TRUST_MIN_POSTS = env.int("MODERATION_TRUST_MIN_POSTS", 3)
MODERATION_TRUST_MIN_AGE_HOURS = env.float("MODERATION_TRUST_MIN_AGE_HOURS", 24.0)
# The public log keeps each entry this many days, then only monthly counts (manage.py moderation_log_compact, daily).
MODERATION_LOG_DETAIL_DAYS = env.int("MODERATION_LOG_DETAIL_DAYS", 365)
# Reports of resolved items, and copies of reported content kept for moderators, go after this many days
# (manage.py purge_reports).
MODERATION_REPORT_RETENTION_DAYS = env.int("MODERATION_REPORT_RETENTION_DAYS", 90)
# A muted or suspended person may still report (e.g. harassment of them), but not in bulk: the
# report_restricted limit (3 a day) of commons/limits.py.

# --- voice (docs/voice.md) ---
# A proposal's voting window, in days (a fraction is fine: 0.5 is twelve hours).
VOICE_WINDOW_DAYS = env.float("VOICE_WINDOW_DAYS", 7.0)
# Who may propose and vote, fixed when a proposal opens: accounts at least this old, with this many approved posts.
VOICE_MIN_AGE_DAYS = env.float("VOICE_MIN_AGE_DAYS", 30.0)
VOICE_MIN_POSTS = env.int("VOICE_MIN_POSTS", 5)
# Quorum: the larger of this many people and this share of those eligible.
VOICE_QUORUM_MIN = env.int("VOICE_QUORUM_MIN", 10)
VOICE_QUORUM_SHARE = env.float("VOICE_QUORUM_SHARE", 0.10)
# It passes when agree is at least this share of agree + disagree, and blocks are under this share of votes cast.
VOICE_AGREE_SHARE = env.float("VOICE_AGREE_SHARE", 2 / 3)
VOICE_BLOCK_SHARE = env.float("VOICE_BLOCK_SHARE", 0.10)
# A poll in a thread may end at most this many days after it is added.
VOICE_POLL_MAX_DAYS = env.int("VOICE_POLL_MAX_DAYS", 30)
# A service's members' ratings (averages and comments) show once this many different people have rated it.
VOICE_RATING_MIN_RATERS = env.int("VOICE_RATING_MIN_RATERS", 5)

# --- helpnow ---
# A request waiting longer than this is highlighted and pushed to every available supporter again (each interval).
HELPNOW_ESCALATE_AFTER_SECONDS = env.int("HELPNOW_ESCALATE_AFTER_SECONDS", 300)
# How often each open supporters' board socket runs the (multi-process safe) escalation check.
HELPNOW_ESCALATION_CHECK_SECONDS = env.float("HELPNOW_ESCALATION_CHECK_SECONDS", 15.0)
# Supporter wellbeing: at most this many open conversations (claimed or backup) per supporter.
HELPNOW_MAX_OPEN_CLAIMS = env.int("HELPNOW_MAX_OPEN_CLAIMS", 2)
# A forgotten "on duty" lapses after this many hours.
HELPNOW_SHIFT_MAX_HOURS = env.int("HELPNOW_SHIFT_MAX_HOURS", 8)
# Private conversations are deleted this long after they end (manage.py purge_help_requests), unless reported.
HELPNOW_DELETE_AFTER_HOURS = env.int("HELPNOW_DELETE_AFTER_HOURS", 24)
# Room retention for the private rooms, so purge_rooms never empties a conversation still going on.
HELPNOW_ROOM_RETENTION_HOURS = env.int("HELPNOW_ROOM_RETENTION_HOURS", 168)

# --- spotting ("Spot me: never use alone", docs/spotting.md) ---
SPOTTING_ENABLED = env.bool("SPOTTING_ENABLED", True)
# The deployment's own phone line for spotting, shown when nobody is on duty or nobody claims in time
# (README lists the lines that exist). Empty: none is shown, only the emergency number.
SPOTTING_PHONE_LINE = env.str("SPOTTING_PHONE_LINE", "")
SPOTTING_PHONE_LINE_NAME = env.str("SPOTTING_PHONE_LINE_NAME", "")
# Nobody claimed a request in this many seconds: the member is told and shown the phone line.
SPOTTING_CLAIM_SECONDS = env.int("SPOTTING_CLAIM_SECONDS", 60)
# After a missed check-in, the member's own device sounds for this long before the spotter is alarmed.
SPOTTING_GRACE_SECONDS = env.float("SPOTTING_GRACE_SECONDS", 60.0)
# Seconds in one "minute" of the check-in interval: 60; the browser test shortens it.
SPOTTING_MINUTE_SECONDS = env.float("SPOTTING_MINUTE_SECONDS", 60.0)
# How often each server process looks for missed check-ins (manage.py spotting_tick is the cron backstop).
SPOTTING_TICK_SECONDS = env.float("SPOTTING_TICK_SECONDS", 5.0)
# A session's note, chat, check-ins and the spotter's record go this long after it ends, unless reported.
SPOTTING_DELETE_AFTER_HOURS = env.int("SPOTTING_DELETE_AFTER_HOURS", 24)
