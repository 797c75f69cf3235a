"""A thread carries its first post's moderation status (a held first post holds its title); boards count
the threads a visitor sees; held edits of approved posts wait as PendingEdit."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from forum.sqlite_search import wrap_table_change


class Migration(migrations.Migration):

    dependencies = [
        ('forum', '0010_held_posts_queued'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PendingEdit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', models.TextField()),
                ('content_warning', models.CharField(blank=True, default='', max_length=100)),
                ('title', models.CharField(blank=True, default='', help_text="The thread's new title; blank: unchanged.", max_length=140)),
                ('reason', models.CharField(blank=True, default='', max_length=500)),
                ('created', models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        *wrap_table_change([migrations.AddField(
            model_name='thread',
            name='moderation_status',
            field=models.CharField(choices=[('pending', 'waiting for a moderator'), ('approved', 'approved'), ('rejected', 'removed by a moderator')], default='approved', max_length=10),
        )]),
        migrations.RemoveIndex(model_name='thread', name='thread_board_order'),
        migrations.AddIndex(
            model_name='thread',
            index=models.Index(fields=['board', '-pinned', '-last_activity', '-id', 'moderation_status', 'author'], name='thread_board_order'),
        ),
        migrations.AddIndex(
            model_name='thread',
            index=models.Index(condition=models.Q(('moderation_status', 'approved'), _negated=True), fields=['board', 'author'], name='thread_board_unapproved'),
        ),
        migrations.AddField(
            model_name='pendingedit',
            name='author',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='forum_pending_edits', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='pendingedit',
            name='post',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='pending_edit', to='forum.post'),
        ),
        migrations.RunSQL(
            [
                "UPDATE forum_thread SET moderation_status = COALESCE((SELECT p.moderation_status FROM forum_post p"
                " WHERE p.thread_id = forum_thread.id ORDER BY p.id LIMIT 1), 'approved')",
                "UPDATE forum_board SET thread_count = (SELECT COUNT(*) FROM forum_thread t"
                " WHERE t.board_id = forum_board.id AND t.moderation_status = 'approved')",
            ],
            migrations.RunSQL.noop,
        ),
    ]
