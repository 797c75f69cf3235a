"""The bounds of 0004 as database constraints, in a transaction of their own (after the rows were clamped)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("rooms", "0004_room_bounds_and_screening"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='room',
            constraint=models.CheckConstraint(condition=models.Q(('retention_hours__gte', 1), ('retention_hours__lte', 8760)), name='room_retention_hours_bounds'),
        ),
        migrations.AddConstraint(
            model_name='room',
            constraint=models.CheckConstraint(condition=models.Q(('slow_mode_seconds__lte', 3600)), name='room_slow_mode_bounds'),
        ),
    ]
