"""No email anywhere: the Peer model loses its `email` column, and every address allauth stored
(account_emailaddress, and its confirmations) is deleted."""

from django.db import migrations


def forget_every_address(apps, schema_editor):
    alias = schema_editor.connection.alias
    for name in ("EmailConfirmation", "EmailAddress"):
        try:
            model = apps.get_model("account", name)
        except LookupError:  # allauth dropped the model
            continue
        model.objects.using(alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("peers", "0007_bio_pending"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(forget_every_address, migrations.RunPython.noop),
        migrations.RemoveField(model_name="peer", name="email"),
    ]
