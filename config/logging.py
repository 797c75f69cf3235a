"""The LOGGING dict: every record of every component (Django, uvicorn, Channels, asgiref, our apps and the
management commands) goes through one handler to stderr, with commons.logs' filter and formatter.

LOG_FORMAT=json gives one JSON object a line; LOG_LEVEL (INFO) sets the level of our loggers, of uvicorn's and
of the access log. Django's own and the other libraries' loggers stay at WARNING whatever it says, except when
LOG_LEVEL is DEBUG. uvicorn configures logging before it loads the application (deploy/uvicorn-logging.json
names the same filter and formatter for those first lines); loading config.asgi sets up Django, which applies
this dict and takes over uvicorn's loggers too.
"""

import logging


def logging_config(level: str = "INFO", fmt: str = "plain") -> dict:
    level = level.upper() if level.upper() in logging.getLevelNamesMapping() else "INFO"
    libraries = level if level == "DEBUG" else "WARNING"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"privacy": {"()": "commons.logs.PrivacyFilter"}},
        "formatters": {"one_line": {"()": "commons.logs.OneLineFormatter", "fmt": fmt}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "one_line", "filters": ["privacy"]},
        },
        # The one handler is the root's; every logger below only sets its level and hands its records up.
        "root": {"handlers": ["console"], "level": libraries},
        "loggers": {
            **{name: {"level": level, "propagate": True} for name in ("commons", "config", "peers", "forum", "rooms", "moderation", "safety", "helpnow")},
            # propagate: uvicorn's own configuration (its default or deploy/uvicorn-logging.json) turned it off.
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            # uvicorn's own access lines carry the client's address and the raw path: never written.
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "django": {"handlers": [], "level": libraries, "propagate": True},
            # A refused Host header names the host and, through the request, the path: the 400 is enough.
            "django.security.DisallowedHost": {"handlers": [], "propagate": False},
            "django.server": {"handlers": [], "propagate": False},
        },
    }
