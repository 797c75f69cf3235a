"""Privacy is a feature: no IP address stored, nothing loaded from another host."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

ROOT = Path(__file__).resolve().parents[2]


def test_no_model_field_anywhere_holds_an_ip_address():
    offenders = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            name = getattr(field, "name", "")
            if isinstance(field, models.GenericIPAddressField) or re.search(r"(^|_)ip(_|$)|ip_address|remote_addr", name):
                offenders.append(f"{model._meta.label}.{name}")
    assert offenders == []


def test_no_template_or_static_file_loads_from_another_host():
    pattern = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//""", re.IGNORECASE)
    css_import = re.compile(r"url\(\s*['\"]?(https?:)?//|@import", re.IGNORECASE)
    offenders = []
    for path in list((ROOT / "templates").rglob("*.html")) + list((ROOT / "static").rglob("*.*")):
        text = path.read_text(errors="ignore")
        if pattern.search(text) or (path.suffix == ".css" and css_import.search(text)):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_pages_carry_a_policy_that_blocks_other_hosts(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert response["Referrer-Policy"] == "same-origin"


def test_access_logs_are_off():
    makefile = (ROOT / "Makefile").read_text()
    assert "--no-access-log" in makefile
    from django.conf import settings

    assert settings.LOGGING["loggers"]["uvicorn.access"]["handlers"] == []
