"""Forms parse input only; the services validate and decide (their messages are what people read)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from helpnow import services
from helpnow.models import ANSWER_MAX_LENGTH, NOTE_MAX_LENGTH, HelpRequest

DANGER_CHOICES = [
    (HelpRequest.Danger.YES, _("Yes, someone may be in danger")),
    (HelpRequest.Danger.NOT_SURE, _("I'm not sure")),
    (HelpRequest.Danger.NO, _("No")),
]


class HelpRequestForm(forms.Form):
    happening = forms.CharField(
        label=_("What is happening?"), required=False, max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}), error_messages={"max_length": services.ANSWER_TOO_LONG},
        help_text=_("A few words are enough. You can also leave this empty and just talk."),
    )
    danger = forms.ChoiceField(
        label=_("Is anyone in danger right now?"), required=False, choices=DANGER_CHOICES, widget=forms.RadioSelect,
        error_messages={"invalid_choice": services.BAD_DANGER},
    )
    would_help = forms.CharField(
        label=_("What would help?"), required=False, max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}), error_messages={"max_length": services.ANSWER_TOO_LONG},
        help_text=_("For example: someone to talk to, safer-use tips, finding a service nearby."),
    )


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("Handover note (supporters only)"), required=False, max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}), error_messages={"max_length": services.NOTE_TOO_LONG},
        help_text=_("Short and kind: what helped, anything the next supporter should know. The person does not see it."),
    )


class RateForm(forms.Form):
    helped = forms.TypedChoiceField(
        choices=[("yes", _("It helped")), ("no", _("It didn't help"))], coerce=lambda value: value == "yes",
        error_messages={"required": _("Choose “it helped” or “it didn't help”."), "invalid_choice": _("Choose “it helped” or “it didn't help”.")},
    )


class ToggleForm(forms.Form):
    on = forms.TypedChoiceField(choices=[("1", _("on")), ("0", _("off"))], coerce=lambda value: value == "1",
                                error_messages={"required": _("Say on or off."), "invalid_choice": _("Say on or off.")})
