from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"

    def ready(self):
        from forum.permissions import can_see_post
        from moderation import registry
        from moderation.models import Target

        registry.register_visibility(Target.POST, can_see_post)

    def export_peer_data(self, peer) -> dict:
        from forum.models import Bookmark, Reaction, Subscription
        from forum.selectors import posts_written_by

        return {
            "posts": [
                {
                    "id": p.id,
                    "thread": p.thread.title,
                    "created": p.created.isoformat(),
                    "edited": p.edited_at.isoformat() if p.edited_at else None,
                    "deleted": p.deleted_at.isoformat() if p.deleted_at else None,
                    "content_warning": p.content_warning,
                    "body": p.body,
                }
                for p in posts_written_by(peer=peer)
            ],
            "reactions": [
                {"post": r.post_id, "kind": r.kind, "created": r.created.isoformat()}
                for r in Reaction.objects.filter(peer=peer).order_by("id")
            ],
            "bookmarks": [{"post": b.post_id, "created": b.created.isoformat()} for b in Bookmark.objects.filter(peer=peer).order_by("id")],
            "subscriptions": [
                {"thread": s.thread_id, "created": s.created.isoformat()} for s in Subscription.objects.filter(peer=peer).order_by("id")
            ],
        }
