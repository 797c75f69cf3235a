from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"

    # Imports inside these methods: apps.py is imported before any app's models are loaded (Django's app
    # registry), so what needs models is imported once the registry is ready.

    def ready(self):
        from forum.moderated import PENDING_EDITS, POSTS, approved_posts_count
        from forum.permissions import can_see_post
        from moderation import registry

        registry.register(POSTS)
        registry.register_visibility(POSTS.kind, can_see_post)
        registry.register_standing_count(approved_posts_count)
        registry.register(PENDING_EDITS)

    def export_peer_data(self, peer) -> dict:
        from forum.models import Bookmark, PendingEdit, Reaction, Subscription, Thread, ThreadRead
        from forum.selectors import posts_written_by

        return {
            "threads_started": [
                {"id": t.id, "board": t.board.slug, "title": t.title, "created": t.created.isoformat()}
                for t in Thread.objects.filter(author=peer).select_related("board").order_by("id")
            ],
            "posts": [
                {
                    "id": p.id,
                    "thread": p.thread.title,
                    "created": p.created.isoformat(),
                    "edited": p.edited_at.isoformat() if p.edited_at else None,
                    "deleted": p.deleted_at.isoformat() if p.deleted_at else None,
                    "status": p.moderation_status,
                    "content_warning": p.content_warning,
                    "body": p.body,
                    "earlier_versions": [
                        {"created": r.created.isoformat(), "content_warning": r.content_warning, "body": r.body}
                        for r in p.revisions.all()
                    ],
                }
                for p in posts_written_by(peer=peer).prefetch_related("revisions")
            ],
            "edits_waiting_for_a_moderator": [
                {"post": e.post_id, "created": e.created.isoformat(), "title": e.title, "content_warning": e.content_warning, "body": e.body}
                for e in PendingEdit.objects.filter(author=peer).order_by("id")
            ],
            "reactions": [
                {"post": r.post_id, "kind": r.kind, "created": r.created.isoformat()}
                for r in Reaction.objects.filter(peer=peer).order_by("id")
            ],
            "bookmarks": [{"post": b.post_id, "created": b.created.isoformat()} for b in Bookmark.objects.filter(peer=peer).order_by("id")],
            "subscriptions": [
                {"thread": s.thread_id, "created": s.created.isoformat()} for s in Subscription.objects.filter(peer=peer).order_by("id")
            ],
            "reading_positions": [
                {"thread": r.thread_id, "last_read_post": r.last_read_post_id} for r in ThreadRead.objects.filter(peer=peer).order_by("id")
            ],
        }

    def account_deleting(self, peer, *, erase_words: bool) -> None:
        """Account deletion (peers.services.account_delete): with "erase my words", their posts are erased."""
        from forum.services import pending_edits_drop_for, words_erase

        pending_edits_drop_for(post_ids=peer.posts.values_list("pk", flat=True))
        if erase_words:
            words_erase(author=peer)
