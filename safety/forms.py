"""Forms parse input only; the services validate and decide (their messages are what people read)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from safety import services
from safety.models import ALERT_DEFAULT_DAYS, ALERT_MAX_DAYS, DrugAlert, ServiceKind

_DAYS_ERRORS = {key: services.MSG_DAYS_RANGE for key in ("required", "invalid", "min_value", "max_value")}


def _too_long(label, limit: int) -> dict:
    return {"max_length": format_lazy(services.MSG_TOO_LONG, field=label, limit=limit)}


def _choice_errors(field) -> dict:
    message = format_lazy(services.MSG_BAD_CHOICE, field=field)
    return {"required": message, "invalid_choice": message}


class AlertForm(forms.Form):
    substance = forms.CharField(
        max_length=100, error_messages={"required": services.MSG_SUBSTANCE_REQUIRED, **_too_long(_("Substance"), 100)}, label=_("Substance"),
        help_text=_("For example: fentanyl, pressed pills, cocaine."))
    summary = forms.CharField(
        label=_("What was found"), max_length=300,
        error_messages={"required": services.MSG_SUMMARY_REQUIRED, **_too_long(_("What was found"), 300)}, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: \"xylazine in fentanyl\" or \"unusually strong batch\". No names, no dealer details."),
    )
    region = forms.CharField(
        label=_("Where"), max_length=100, help_text=_("A city, area or neighbourhood."),
        error_messages={"required": services.MSG_REGION_REQUIRED, **_too_long(_("Where"), 100)},
    )
    severity = forms.ChoiceField(choices=DrugAlert.Severity.choices, initial=DrugAlert.Severity.WARNING, label=_("Severity"), error_messages=_choice_errors(_("severity")))
    source = forms.ChoiceField(choices=DrugAlert.Source.choices, initial=DrugAlert.Source.PEER, label=_("Source"), error_messages=_choice_errors(_("source")))
    days = forms.IntegerField(
        label=_("Show it for how many days"), min_value=1, max_value=ALERT_MAX_DAYS, initial=ALERT_DEFAULT_DAYS,
        error_messages=_DAYS_ERRORS,
        help_text=format_lazy(_("Up to {days} days. After that it moves to the archive."), days=ALERT_MAX_DAYS),
    )
    # The evidence: ids of drug-checking results, filled when an alert is raised from a result.
    results = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_results(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data.get("results", "").split(",") if part.strip()]


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of service"), choices=[("", _("Choose one"))] + list(ServiceKind.choices), error_messages=_choice_errors(_("kind of service"))
    )
    name = forms.CharField(label=_("Name"), max_length=120, error_messages={"required": format_lazy(services.MSG_SERVICE_FIELD_REQUIRED, field=_("name")), **_too_long(_("Name"), 120)})
    region = forms.CharField(
        label=_("Region"), max_length=100, help_text=_("The city, area or neighbourhood it serves."),
        error_messages={"required": format_lazy(services.MSG_SERVICE_FIELD_REQUIRED, field=_("region")), **_too_long(_("Region"), 100)},
    )
    contact = forms.CharField(
        label=_("Contact"), max_length=200, error_messages={"required": format_lazy(services.MSG_SERVICE_FIELD_REQUIRED, field=_("contact")), **_too_long(_("Contact"), 200)},
        help_text=_("A phone number, street address or website of the service itself."))
    hours = forms.CharField(label=_("Hours"), max_length=200, required=False, error_messages=_too_long(_("Hours"), 200),
                            help_text=_("For example: Mon–Fri 9–17, or 24/7."))
    notes = forms.CharField(
        label=_("Notes"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 4}), error_messages=_too_long(_("Notes"), 1000),
        help_text=_("Anything useful: walk-in or appointment, ID needed, cost, languages."),
    )
    comment = forms.CharField(
        label=_("Note for the moderators"), max_length=500, required=False, error_messages=_too_long(_("Comment"), 500),
        help_text=_("How you know, or what changed. Only moderators see this."),
    )
