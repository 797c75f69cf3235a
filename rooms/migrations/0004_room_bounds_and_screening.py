"""Rooms: bounds on the numbers a host types in (retention, slow mode), and screening of the titles, topics and
rules. Rows from before the bounds are brought inside them first (one such row used to stop purge_rooms for
every room with an OverflowError)."""

import django.core.validators
from django.conf import settings
from django.db import migrations, models


def clamp_numbers(apps, schema_editor):
    Room = apps.get_model("rooms", "Room")
    Room.objects.filter(retention_hours__lt=1).update(retention_hours=1)
    Room.objects.filter(retention_hours__gt=24 * 365).update(retention_hours=24 * 365)
    Room.objects.filter(slow_mode_seconds__gt=3600).update(slow_mode_seconds=3600)


class Migration(migrations.Migration):

    dependencies = [
        ('rooms', '0003_message_client_id_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='room',
            name='moderation_reason',
            field=models.CharField(blank=True, default='', max_length=500),
        ),
        migrations.AddField(
            model_name='room',
            name='moderation_status',
            field=models.CharField(choices=[('pending', 'waiting for a moderator'), ('approved', 'approved'), ('rejected', 'removed by a moderator')], db_index=True, default='approved', max_length=10),
        ),
        migrations.AddField(
            model_name='room',
            name='pending_texts',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name='room',
            name='retention_hours',
            field=models.PositiveIntegerField(default=72, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(8760)]),
        ),
        migrations.AlterField(
            model_name='room',
            name='rules',
            field=models.TextField(blank=True, default='', max_length=2000),
        ),
        migrations.AlterField(
            model_name='room',
            name='slow_mode_seconds',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(3600)]),
        ),
        migrations.RunPython(clamp_numbers, migrations.RunPython.noop),
    ]
