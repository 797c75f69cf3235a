"""Peer.username_key: the look-alike key of each pseudonym (peers.pseudonyms.pseudonym_key), unique.

Existing accounts get theirs; where two older accounts already read alike, the older keeps the key and the
newer keeps its name with an empty key (it stays as it is; only new sign-ups are compared)."""

import peers.pseudonyms
from django.db import migrations, models


def fill_keys(apps, schema_editor):
    Peer = apps.get_model("peers", "Peer")
    seen = set()
    for peer in Peer.objects.order_by("date_joined", "pk").only("pk", "username").iterator():
        key = peers.pseudonyms.pseudonym_key(peer.username)
        if key in seen:
            continue
        seen.add(key)
        Peer.objects.filter(pk=peer.pk).update(username_key=key)


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('peers', '0004_sessions_one_backend'),
    ]

    operations = [
        migrations.AddField(
            model_name='peer',
            name='username_key',
            field=models.CharField(blank=True, default='', editable=False, max_length=120),
        ),
        migrations.AlterField(
            model_name='peer',
            name='username',
            field=models.CharField(max_length=30, unique=True, validators=[peers.pseudonyms.validate_pseudonym, peers.pseudonyms.validate_not_reserved], verbose_name='pseudonym'),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
