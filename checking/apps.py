from django.apps import AppConfig


class CheckingConfig(AppConfig):
    name = "checking"
    verbose_name = "Drug-checking results"

    def export_peer_data(self, peer) -> dict:
        """Download my data: the samples this person reported (results themselves store no person)."""
        return {"sample_reports": [
            {"checked_on": r.checked_on.isoformat(), "region": r.region, "sold_as": r.sold_as, "method": r.method,
             "found": r.found, "note": r.note, "status": r.status, "created": r.created.isoformat()}
            for r in peer.sample_reports.all()
        ]}
