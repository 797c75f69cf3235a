"""The look-alike key unique, in a transaction of its own (after 0005 filled it)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("peers", "0005_pseudonym_key"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='peer',
            constraint=models.UniqueConstraint(condition=models.Q(('username_key', ''), _negated=True), fields=('username_key',), name='peer_pseudonym_key_unique'),
        ),
    ]
