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

    def account_deleting(self, peer, *, erase_words: bool) -> None:
        """Account deletion: the person's sample reports go (they were never public; a confirmed one lives on as a
        result, which names nobody), whichever choice they made for their public words."""
        from checking.services import sample_reports_delete  # apps.py loads before the models (see safety/apps.py)

        sample_reports_delete(author=peer)
