"""Sessions that name allauth's own authentication backend (started by signing up, before it left
AUTHENTICATION_BACKENDS) now name the one backend left, so nobody is signed out by the change."""

from importlib import import_module

from django.db import migrations

OLD = "allauth.account.auth_backends.AuthenticationBackend"
NEW = "peers.backends.CachedPermissionsBackend"


def name_the_one_backend(apps, schema_editor):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.utils import timezone

    Session = apps.get_model("sessions", "Session")
    store = import_module(settings.SESSION_ENGINE).SessionStore
    live = Session.objects.using(schema_editor.connection.alias).filter(expire_date__gt=timezone.now())
    for key in live.values_list("session_key", flat=True).iterator():
        session = store(session_key=key)
        if session.get(BACKEND_SESSION_KEY) == OLD:
            session[BACKEND_SESSION_KEY] = NEW
            session.save()


class Migration(migrations.Migration):
    dependencies = [("peers", "0003_notifications"), ("sessions", "0001_initial")]
    operations = [migrations.RunPython(name_the_one_backend, migrations.RunPython.noop)]
