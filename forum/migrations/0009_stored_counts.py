"""Store each thread's number of approved posts and each board's number of threads, so that their pages
needn't count; index the few posts that are not approved, which a reader may see beyond the approved ones
(their own, or all for moderators)."""

from django.conf import settings
from django.db import migrations, models

from forum.sqlite_search import wrap_table_change

COUNT_APPROVED = (
    "UPDATE forum_thread SET approved_post_count = (SELECT COUNT(*) FROM forum_post p"
    " WHERE p.thread_id = forum_thread.id AND p.moderation_status = 'approved')"
)
COUNT_THREADS = "UPDATE forum_board SET thread_count = (SELECT COUNT(*) FROM forum_thread t WHERE t.board_id = forum_board.id)"


class Migration(migrations.Migration):

    dependencies = [
        ("forum", "0008_post_mentions_overdose"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # SQLite rebuilds forum_thread to add a column, which drops the search index's trigger on it.
        *wrap_table_change(
            [migrations.AddField(model_name="thread", name="approved_post_count", field=models.PositiveIntegerField(default=0))]
        ),
        migrations.RunSQL(COUNT_APPROVED, migrations.RunSQL.noop),
        migrations.AddField(
            model_name="board", name="thread_count", field=models.PositiveIntegerField(default=0, editable=False)
        ),
        migrations.RunSQL(COUNT_THREADS, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                condition=~models.Q(moderation_status="approved"), fields=["thread", "author"], name="post_thread_unapproved"
            ),
        ),
    ]
