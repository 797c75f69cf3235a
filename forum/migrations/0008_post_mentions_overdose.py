"""Store whether a post carries an overdose signal, decided at write time like body_html."""

from django.db import migrations, models

from forum.sqlite_search import wrap_table_change


def fill(apps, schema_editor):
    from safety.overdose import html_mentions_overdose

    Post = apps.get_model("forum", "Post")
    flagged = [
        pk for pk, html in Post.objects.filter(deleted_at__isnull=True).values_list("id", "body_html").iterator(chunk_size=2000)
        if html_mentions_overdose(html)
    ]
    for start in range(0, len(flagged), 500):
        Post.objects.filter(id__in=flagged[start:start + 500]).update(mentions_overdose=True)


class Migration(migrations.Migration):
    dependencies = [("forum", "0007_sqlite_fulltext")]
    operations = [
        *wrap_table_change(
            [migrations.AddField(model_name="post", name="mentions_overdose", field=models.BooleanField(default=False, editable=False))]
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
