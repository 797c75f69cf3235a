"""config/settings.py reads each variable once, typed: a bad value stops start-up naming the variable."""

import importlib.util
from pathlib import Path

import pytest
from environs import EnvError

SETTINGS = Path(__file__).resolve().parents[2] / "config" / "settings.py"
SWITCHES = ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "CHANNEL_LAYER",
            "DJANGO_CSRF_TRUSTED_ORIGINS", "TRUSTED_PROXIES", "DJANGO_SSL_REDIRECT")


@pytest.fixture
def load_settings(monkeypatch, tmp_path):
    """Run a fresh copy of config/settings.py under the given environment; return it as a module."""
    for name in SWITCHES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DJANGO_VAR_DIR", str(tmp_path))

    def load(**environment):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


def test_with_no_environment_the_embedded_development_set_up_is_used(load_settings):
    settings = load_settings()
    assert settings.DEBUG is True
    assert settings.ALLOWED_HOSTS == ["127.0.0.1", "localhost", "testserver"]
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    assert settings.SECRET_KEY  # generated into var/, never in code
    assert settings.ROOMS_CATCH_UP_SECONDS == 5.0 and settings.MODERATION_REPORT_THRESHOLD == 3


def test_debug_zero_with_a_key_and_hosts_gives_production(load_settings):
    settings = load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 60, DJANGO_ALLOWED_HOSTS=" a.example, ,b.example")
    assert settings.DEBUG is False
    assert settings.SECRET_KEY == "k" * 60
    assert settings.ALLOWED_HOSTS == ["a.example", "b.example"]
    assert settings.SESSION_COOKIE_SECURE and settings.SECURE_SSL_REDIRECT and settings.SECURE_HSTS_SECONDS == 31536000


def test_production_without_hosts_allows_none(load_settings):
    assert load_settings(DJANGO_DEBUG="0").ALLOWED_HOSTS == []


def test_debug_false_in_words_means_off(load_settings):
    # Before environs only "0" turned debug off: "false" left it on.
    assert load_settings(DJANGO_DEBUG="false").DEBUG is False


def test_database_and_redis_urls_switch_the_set_up(load_settings):
    settings = load_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/elsewhere", REDIS_URL="redis://127.0.0.1:6379/9",
                             CHANNEL_LAYER="pubsub", RATE_LIMIT_FORUM_POST="7/60")
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.DATABASES["default"]["NAME"] == "elsewhere"
    assert settings.DATABASES["default"]["OPTIONS"]["pool"]["max_size"] == 20
    assert settings.CACHES["default"]["LOCATION"] == "redis://127.0.0.1:6379/9"
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert settings.RATE_LIMITS["forum_post"] == (7, 60)


@pytest.mark.parametrize(("name", "value"), [
    ("ROOMS_PRESENCE_TTL", "ninety"),
    ("ROOMS_PRESENCE_TTL", ""),
    ("MODERATION_TRUST_MIN_AGE_HOURS", "a day"),
    ("DJANGO_DEBUG", "maybe"),
    ("DJANGO_DEBUG", ""),
    ("SIGNUP_OPEN", "closed"),
    ("REQUEST_BODY_MAX_BYTES", "1MB"),
    ("DATABASE_URL", "not a url"),
    ("RATE_LIMIT_FORUM_POST", "20"),
    ("RATE_LIMIT_FORUM_POST", "twenty/600"),
    ("RATE_LIMIT_FORUM_POST", "20/"),
])
def test_a_bad_value_stops_start_up_naming_the_variable(load_settings, name, value):
    with pytest.raises(EnvError, match=f'Environment variable "{name}" invalid'):
        load_settings(**{name: value})


def test_the_documented_channel_layers_are_taken(load_settings):
    redis = "redis://127.0.0.1:6379/9"
    assert load_settings(REDIS_URL=redis, CHANNEL_LAYER="redis").CHANNEL_LAYERS["default"]["BACKEND"] == "commons.layers.ResilientRedisChannelLayer"
    assert load_settings(REDIS_URL=redis, CHANNEL_LAYER="pubsub").CHANNEL_LAYERS["default"]["BACKEND"].endswith("RedisPubSubChannelLayer")


def test_an_unknown_channel_layer_is_refused_rather_than_ignored(load_settings):
    with pytest.raises(EnvError, match='"CHANNEL_LAYER" invalid'):
        load_settings(REDIS_URL="redis://127.0.0.1:6379/9", CHANNEL_LAYER="pubsup")
