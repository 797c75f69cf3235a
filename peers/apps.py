from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "peers"
    verbose_name = "Peers"

    # Imports inside these methods: apps.py is imported before any app's models are loaded (Django's app
    # registry), so what needs models is imported once the registry is ready.

    def ready(self):
        from allauth.account import signals as account_signals
        from django.contrib.auth.models import Group, Permission
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from peers import sockets
        from peers.backends import permissions_changed
        from peers.models import Peer

        user_logged_out.connect(sockets.close_on_logout, dispatch_uid="peers-sockets-logout")
        for signal in (account_signals.password_changed, account_signals.password_set, account_signals.password_reset):
            signal.connect(sockets.close_on_password_change, dispatch_uid=f"peers-sockets-password-{id(signal)}")

        for through in (Peer.groups.through, Peer.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(permissions_changed, sender=through, dispatch_uid=f"perms-{through.__name__}")
        for model in (Group, Permission):
            post_save.connect(permissions_changed, sender=model, dispatch_uid=f"perms-save-{model.__name__}")
            post_delete.connect(permissions_changed, sender=model, dispatch_uid=f"perms-delete-{model.__name__}")

    def export_peer_data(self, peer) -> dict:
        from peers.export import notifications_export, profile_export

        return {"profile": profile_export(peer), "notifications": notifications_export(peer)}
