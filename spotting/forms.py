"""Forms parse input only; the services validate and decide (their messages are what people read)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from spotting import services
from spotting.models import (
    INTERVAL_DEFAULT, INTERVAL_MAX, INTERVAL_MIN, LENGTH_DEFAULT, LENGTH_MAX, LENGTH_MIN, NOTE_MAX_LENGTH,
    OUTCOME_MAX_LENGTH, SpotSession,
)


class SpotStartForm(forms.Form):
    interval_minutes = forms.IntegerField(
        label=_("Check on me every … minutes"), min_value=INTERVAL_MIN, max_value=INTERVAL_MAX, initial=INTERVAL_DEFAULT,
        error_messages={"min_value": services.BAD_INTERVAL, "max_value": services.BAD_INTERVAL,
                        "invalid": services.BAD_INTERVAL, "required": services.BAD_INTERVAL},
        help_text=format_lazy(_("From {low} to {high} minutes."), low=INTERVAL_MIN, high=INTERVAL_MAX),
    )
    length_minutes = forms.IntegerField(
        label=_("The session may last up to … minutes"), min_value=LENGTH_MIN, max_value=LENGTH_MAX, initial=LENGTH_DEFAULT,
        error_messages={"min_value": services.BAD_LENGTH, "max_value": services.BAD_LENGTH,
                        "invalid": services.BAD_LENGTH, "required": services.BAD_LENGTH},
        help_text=_("At most 2 hours (120 minutes)."),
    )
    note = forms.CharField(
        label=_("Rescue note"), required=False, max_length=NOTE_MAX_LENGTH, strip=False,
        widget=forms.Textarea(attrs={"rows": 4}), error_messages={"max_length": services.NOTE_TOO_LONG},
        help_text=_("In your own words: where you are, how to get in, who to call. Nobody reads it unless you miss a "
                    "check-in; then your spotter sees it. Up to 1,000 characters."),
    )


class RecordForm(forms.Form):
    action = forms.ChoiceField(label=_("What did you do?"), choices=SpotSession.Action.choices, widget=forms.RadioSelect,
                               error_messages={"required": services.BAD_ACTION, "invalid_choice": services.BAD_ACTION})
    outcome = forms.CharField(label=_("How did it end?"), required=False, max_length=OUTCOME_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 2}), error_messages={"max_length": services.OUTCOME_TOO_LONG})
