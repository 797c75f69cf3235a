from django.apps import AppConfig


class CheckingConfig(AppConfig):
    name = "checking"
    verbose_name = "Drug-checking results"

    def ready(self):
        """/results/ keeps its counts, rows and charts until results change (checking.selectors.results_changed), and
        the month chart reads tallies (checking.tallies): the services keep both when they publish; a result saved
        or deleted any other way (the shell, a cascade) keeps them here, as peers/apps.py does for permissions."""
        from django.db.models.signals import post_delete, post_save

        from checking import tallies
        from checking.models import Result
        from checking.selectors import results_changed

        def saved(sender, instance, created, **kwargs):
            if created:
                tallies.tally_add([instance])
            else:  # its month, region or kind may have changed: rare (the site never edits a result), so count again
                tallies.tallies_rebuild()
            results_changed()

        def deleted(sender, instance, **kwargs):
            tallies.tally_add([instance], sign=-1)
            results_changed()

        post_save.connect(saved, sender=Result, dispatch_uid="checking-result-saved")
        post_delete.connect(deleted, sender=Result, dispatch_uid="checking-result-deleted")

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
