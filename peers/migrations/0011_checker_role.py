"""The `checker` role: publishes drug-checking results (issue 19)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_checker(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="checker")
    group.permissions.set(Permission.objects.filter(content_type__app_label="peers", codename="check_results"))


def remove_checker(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="checker").delete()


class Migration(migrations.Migration):
    dependencies = [("peers", "0010_reader_preferences")]
    operations = [
        migrations.AlterModelOptions(
            name="peer",
            options={"permissions": [
                ("host_rooms", "Can host live support rooms"),
                ("moderate", "Can moderate the community"),
                ("support", "Can take one-to-one support requests"),
                ("check_results", "Can publish drug-checking results"),
            ]},
        ),
        migrations.RunPython(create_checker, remove_checker),
    ]
