"""The ASGI app `bench/pages.py` measures over HTTP: the whole site plus its two baselines.

    uvicorn bench.pages_server:application     (started by bench/pages.py; not for other use)
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "bench.pages_urls"

from config.asgi import application  # noqa: E402,F401
