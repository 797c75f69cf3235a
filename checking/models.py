"""Drug-checking results. A result stores no person: not the client whose sample it was, and not the checker
who published it (the service that checked it is named; who pressed "publish" is in no column)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from checking.vocabulary import CONCERN_KEYS, sold_as_label, substance_label


class Method(models.TextChoices):
    FTIR = "ftir", _("FTIR spectrometry")
    TEST_STRIP = "test_strip", _("test strip")
    IMMUNOASSAY = "immunoassay", _("immunoassay")
    MASS_SPECTROMETRY = "mass_spectrometry", _("mass spectrometry")
    LAB = "lab", _("lab analysis")


METHODS = frozenset(Method.values)


class Result(models.Model):
    checked_on = models.DateField()
    region = models.CharField(max_length=100, db_index=True)
    sold_as = models.CharField(max_length=40, db_index=True)
    method = models.CharField(max_length=20, choices=Method.choices)
    service = models.CharField(max_length=120)
    note = models.TextField(max_length=1000, blank=True, default="")
    created = models.DateTimeField(default=timezone.now, db_index=True)
    # Which of the charts' concern groups were found: written once by the service from the substances,
    # so the charts count 100,000 results in one grouped query (docs/supply.md, figures).
    has_fentanyl = models.BooleanField(default=False)
    has_xylazine = models.BooleanField(default=False)
    has_nitazenes = models.BooleanField(default=False)
    has_benzodiazepines = models.BooleanField(default=False)
    has_medetomidine = models.BooleanField(default=False)

    class Meta:
        ordering = ["-checked_on", "-id"]
        indexes = [
            models.Index(fields=["sold_as", "checked_on"]), models.Index(fields=["region", "checked_on"]),
            # The list's order, newest first, straight from an index on PostgreSQL too (which, unlike SQLite, keeps no
            # row id in an index on the date alone and sorted each page's ties).
            models.Index(fields=["checked_on", "id"], name="result_recent"),
            # `found=<a chart's group>` reads the result's own has_<group> column through one of these: 30 results of a
            # page and the count straight from a small index, instead of collecting ~25,000 ids from checking_found and
            # sorting them (/results/?found=xylazine, 100,000 results: 40.4 ms over HTTP, 11.6x the trivial view;
            # docs/performance.md, "Results and feeds").
            *[models.Index(fields=["checked_on", "id"], condition=models.Q(**{f"has_{key}": True}), name=f"result_has_{key}")
              for key in CONCERN_KEYS],
        ]

    def __str__(self) -> str:
        return f"{self.checked_on} {self.region}: {self.sold_as}"

    def get_absolute_url(self) -> str:
        return f"/results/{self.pk}/"

    @property
    def sold_as_label(self) -> str:
        return sold_as_label(self.sold_as)

    def get_method_display(self) -> str:
        """The method's label. Django's own get_FOO_display hashes every choice's translated label on each call (six
        translations a result): a fifth of the time of /results/'s 30 rows in Spanish (docs/performance.md)."""
        return Method(self.method).label if self.method in METHODS else self.method

    def concerns_found(self) -> list[str]:
        return [key for key in CONCERN_KEYS if getattr(self, f"has_{key}")]


class Found(models.Model):
    """One substance found in a result, with an amount ("12%", "0.5 mg") or a trace."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="found")
    substance = models.CharField(max_length=40)
    group = models.CharField(max_length=40)
    amount = models.CharField(max_length=40, blank=True, default="")
    trace = models.BooleanField(default=False)
    # The result's date, copied (a result is never edited), so that `found=<substance>` reads a page of results
    # newest first straight from an index: collecting every match and sorting it took 29 ms a page for caffeine
    # (in a third of the samples) at 100,000 results (docs/performance.md, "Results and feeds").
    checked_on = models.DateField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["substance", "checked_on", "result"], name="found_substance_recent"),
                   models.Index(fields=["group", "checked_on", "result"], name="found_group_recent")]

    @property
    def label(self) -> str:
        return substance_label(self.substance)

    @property
    def is_concern(self) -> bool:
        """One of the charts' groups (fentanyl, xylazine, nitazenes, benzodiazepines, medetomidine): shown in bold."""
        return self.group in CONCERN_KEYS


class SampleReport(models.Model):
    """A member's report of a sample (what it was sold as, what a test showed), waiting for a checker to
    confirm it as a result or decline it. Seen only by its author and checkers."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a checker")
        CONFIRMED = "confirmed", _("confirmed as a result")
        DECLINED = "declined", _("declined")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="sample_reports")
    checked_on = models.DateField()
    region = models.CharField(max_length=100)
    sold_as = models.CharField(max_length=40)
    method = models.CharField(max_length=20, choices=Method.choices)
    found = models.CharField(max_length=300)  # the substances, written as in the CSV: "fentanyl;xylazine:trace"
    note = models.TextField(max_length=1000, blank=True, default="")
    screening_reason = models.CharField(max_length=500, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    result = models.ForeignKey(Result, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]


class MonthTally(models.Model):
    """How many results of one month, region and "sold as" there were, and in how many each chart's group was found.

    Kept on every write (checking.tallies) so that the month chart sums at most a few hundred of these rows instead
    of reading a year of results: with 100,000 results the charts took 223 ms on SQLite and 42 ms on PostgreSQL
    with nothing cached, paid by the first reader of each filter after every publication (docs/performance.md,
    "Results and feeds")."""

    month = models.DateField()  # the first day of the month
    region = models.CharField(max_length=100)
    sold_as = models.CharField(max_length=40)
    total = models.IntegerField(default=0)
    fentanyl = models.IntegerField(default=0)
    xylazine = models.IntegerField(default=0)
    nitazenes = models.IntegerField(default=0)
    benzodiazepines = models.IntegerField(default=0)
    medetomidine = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "region", "sold_as"], name="month_tally_unique")]
