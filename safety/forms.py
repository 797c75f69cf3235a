"""Forms parse input only; the services validate and decide (their messages are what people read)."""

from django import forms

from safety.models import ALERT_DEFAULT_DAYS, ALERT_MAX_DAYS, DrugAlert, ServiceKind


class AlertForm(forms.Form):
    substance = forms.CharField(max_length=100, help_text="For example: fentanyl, pressed pills, cocaine.")
    summary = forms.CharField(
        label="What was found", max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: \"xylazine in fentanyl\" or \"unusually strong batch\". No names, no dealer details.",
    )
    region = forms.CharField(label="Where", max_length=100, help_text="A city, area or neighbourhood.")
    severity = forms.ChoiceField(choices=DrugAlert.Severity.choices, initial=DrugAlert.Severity.WARNING)
    source = forms.ChoiceField(choices=DrugAlert.Source.choices, initial=DrugAlert.Source.PEER)
    days = forms.IntegerField(
        label="Show it for how many days", min_value=1, max_value=ALERT_MAX_DAYS, initial=ALERT_DEFAULT_DAYS,
        help_text=f"Up to {ALERT_MAX_DAYS} days. After that it moves to the archive.",
    )


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of service", choices=[("", "Choose one")] + list(ServiceKind.choices))
    name = forms.CharField(max_length=120)
    region = forms.CharField(max_length=100, help_text="The city, area or neighbourhood it serves.")
    contact = forms.CharField(max_length=200, help_text="A phone number, street address or website of the service itself.")
    hours = forms.CharField(max_length=200, required=False, help_text="For example: Mon–Fri 9–17, or 24/7.")
    notes = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything useful: walk-in or appointment, ID needed, cost, languages.",
    )
    comment = forms.CharField(
        label="Note for the moderators", max_length=500, required=False,
        help_text="How you know, or what changed. Only moderators see this.",
    )
