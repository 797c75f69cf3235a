"""Forms parse input only; the services validate and decide (their messages are what people read)."""

from django import forms

from safety import services
from safety.models import ALERT_DEFAULT_DAYS, ALERT_MAX_DAYS, DrugAlert, ServiceKind

_DAYS_ERRORS = {key: services.MSG_DAYS_RANGE for key in ("required", "invalid", "min_value", "max_value")}


def _too_long(label: str, limit: int) -> dict:
    return {"max_length": services.MSG_TOO_LONG.format(field=label, limit=limit)}


def _choice_errors(field: str) -> dict:
    message = services.MSG_BAD_CHOICE.format(field=field)
    return {"required": message, "invalid_choice": message}


class AlertForm(forms.Form):
    substance = forms.CharField(
        max_length=100, error_messages={"required": services.MSG_SUBSTANCE_REQUIRED, **_too_long("Substance", 100)}, help_text="For example: fentanyl, pressed pills, cocaine.")
    summary = forms.CharField(
        label="What was found", max_length=300,
        error_messages={"required": services.MSG_SUMMARY_REQUIRED, **_too_long("What was found", 300)}, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: \"xylazine in fentanyl\" or \"unusually strong batch\". No names, no dealer details.",
    )
    region = forms.CharField(
        label="Where", max_length=100, help_text="A city, area or neighbourhood.",
        error_messages={"required": services.MSG_REGION_REQUIRED, **_too_long("Where", 100)},
    )
    severity = forms.ChoiceField(choices=DrugAlert.Severity.choices, initial=DrugAlert.Severity.WARNING, error_messages=_choice_errors("severity"))
    source = forms.ChoiceField(choices=DrugAlert.Source.choices, initial=DrugAlert.Source.PEER, error_messages=_choice_errors("source"))
    days = forms.IntegerField(
        label="Show it for how many days", min_value=1, max_value=ALERT_MAX_DAYS, initial=ALERT_DEFAULT_DAYS,
        error_messages=_DAYS_ERRORS,
        help_text=f"Up to {ALERT_MAX_DAYS} days. After that it moves to the archive.",
    )
    # The evidence: ids of drug-checking results, filled when an alert is raised from a result.
    results = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_results(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data.get("results", "").split(",") if part.strip()]


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of service", choices=[("", "Choose one")] + list(ServiceKind.choices), error_messages=_choice_errors("kind of service")
    )
    name = forms.CharField(max_length=120, error_messages={"required": services.MSG_SERVICE_FIELD_REQUIRED.format(field="name"), **_too_long("Name", 120)})
    region = forms.CharField(
        max_length=100, help_text="The city, area or neighbourhood it serves.",
        error_messages={"required": services.MSG_SERVICE_FIELD_REQUIRED.format(field="region"), **_too_long("Region", 100)},
    )
    contact = forms.CharField(
        max_length=200, error_messages={"required": services.MSG_SERVICE_FIELD_REQUIRED.format(field="contact"), **_too_long("Contact", 200)},
        help_text="A phone number, street address or website of the service itself.")
    hours = forms.CharField(max_length=200, required=False, error_messages=_too_long("Hours", 200), help_text="For example: Mon–Fri 9–17, or 24/7.")
    notes = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 4}), error_messages=_too_long("Notes", 1000),
        help_text="Anything useful: walk-in or appointment, ID needed, cost, languages.",
    )
    comment = forms.CharField(
        label="Note for the moderators", max_length=500, required=False, error_messages=_too_long("Comment", 500),
        help_text="How you know, or what changed. Only moderators see this.",
    )
