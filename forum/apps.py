from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"

    def export_peer_data(self, peer) -> dict:
        from forum.selectors import posts_written_by

        return {
            "posts": [
                {"id": p.id, "thread": p.thread.title, "created": p.created.isoformat(), "body": p.body}
                for p in posts_written_by(peer=peer)
            ]
        }
