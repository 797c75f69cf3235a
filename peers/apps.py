from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "peers"
    verbose_name = "Peers"

    def export_peer_data(self, peer) -> dict:
        from peers.export import profile_export

        return {"profile": profile_export(peer)}
