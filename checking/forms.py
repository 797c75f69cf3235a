"""Forms parse input only; the services (checking.importing's checks) decide and say what is wrong."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from checking.importing import COLUMNS
from checking.models import Method
from checking.vocabulary import SOLD_AS, regions


def _region_choices():
    return [(name, name) for name in regions()]


class ResultForm(forms.Form):
    checked_on = forms.CharField(label=_("Date checked"), help_text=_("YYYY-MM-DD"), widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.ChoiceField(label=_("Region"), choices=_region_choices)
    sold_as = forms.ChoiceField(label=_("Sold as"), choices=[(key, label) for key, label in SOLD_AS.items()])
    found = forms.CharField(label=_("Substances found"), max_length=600,
                            help_text=_("Separated by semicolons, each with an amount or “trace” if you like: fentanyl:12%; xylazine:trace; caffeine"))
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    service = forms.CharField(label=_("Service that checked it"), max_length=120)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Public. Nothing about the person who brought the sample, nothing about where it was bought."))


class SampleReportForm(ResultForm):
    service = None
    note = forms.CharField(label=_("What happened"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("How it was tested, what you noticed. No names, no dealer details."))


class ResultsUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=format_lazy(_("Columns: {columns}. The format is described below."), columns=", ".join(COLUMNS)))


class ConfirmForm(forms.Form):
    service = forms.CharField(label=_("Service that checked it"), max_length=120, required=False)
    note = forms.CharField(label=_("Public note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class CheckerRoleForm(forms.Form):
    name = forms.CharField(label=_("Pseudonym"), max_length=150)
