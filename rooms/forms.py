from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from commons.languages import said as _  # noqa: N812 (a str shown in the reader's language; see commons.languages.Said)
from peers.models import Peer
from rooms.models import RETENTION_HOURS_MAX, RETENTION_HOURS_MIN, SLOW_MODE_SECONDS_MAX, Room
from rooms.services import MUTE_MAX_MINUTES

UNKNOWN_PSEUDONYMS = _("We couldn't find these pseudonyms: {names}.")
ENDS_BEFORE_START = _("The end time needs to be after the start time.")
SLUG_TAKEN = _("Another room already uses this web address.")


def _peers_named(value: str, field: str, form: forms.Form):
    names = [n.strip().lstrip("@") for n in value.replace("\n", ",").split(",") if n.strip()]
    found = {p.username.lower(): p for p in Peer.objects.filter(username__in=names)} if names else {}
    # usernames are unique case-insensitively; look up the rest one by one
    for name in names:
        if name.lower() not in found:
            peer = Peer.objects.filter(username__iexact=name).first()
            if peer is not None:
                found[name.lower()] = peer
    missing = [n for n in names if n.lower() not in found]
    if missing:
        form.add_error(field, UNKNOWN_PSEUDONYMS.format(names=", ".join(missing)))
    return list({p.pk: p for p in found.values()}.values())


class RoomForm(forms.ModelForm):
    cohost_names = forms.CharField(
        label=_("Co-hosts"), required=False, help_text=_("Pseudonyms, separated by commas. Co-hosts can do everything the host can.")
    )
    invited_names = forms.CharField(
        label=_("Invited people"), required=False, help_text=_("Only used when the room is for invited people only. Pseudonyms, separated by commas.")
    )

    class Meta:
        model = Room
        fields = ["title", "slug", "topic", "starts_at", "ends_at", "visibility", "slow_mode_seconds", "retention_hours", "show_names", "rules"]
        labels = {
            "title": _("Title"),
            "topic": _("Topic"),
            "visibility": _("Visibility"),
            "slug": _("Web address"),
            "starts_at": _("Starts"),
            "ends_at": _("Ends"),
            "slow_mode_seconds": _("Slow mode (seconds between messages per person, 0 for off)"),
            "retention_hours": _("Keep messages for (hours)"),
            "show_names": _("Show who is online by name"),
            "rules": _("Room rules"),
        }
        help_texts = {
            "show_names": _("Show the pseudonyms of the people online, not only how many there are."),
            "slug": _("Letters, numbers and hyphens, e.g. sunday-check-in."),
            "starts_at": _("In your own time zone."),
            "retention_hours": _("Older messages are deleted and never shown again. 72 hours unless you choose otherwise; at most a year (8,760 hours)."),
            "slow_mode_seconds": _("At most an hour (3,600 seconds)."),
        }
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "rules": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, low, high in (("retention_hours", RETENTION_HOURS_MIN, RETENTION_HOURS_MAX), ("slow_mode_seconds", 0, SLOW_MODE_SECONDS_MAX)):
            field = self.fields[name]
            field.min_value, field.max_value = low, high
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update(min=low, max=high)
        if self.instance.pk:
            self.fields["cohost_names"].initial = ", ".join(p.username for p in self.instance.cohosts.all())
            self.fields["invited_names"].initial = ", ".join(p.username for p in self.instance.invited.all())
            del self.fields["slug"]  # the address people were given stays the same

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", ENDS_BEFORE_START)
        data["cohosts"] = _peers_named(data.get("cohost_names", ""), "cohost_names", self)
        data["invited"] = _peers_named(data.get("invited_names", ""), "invited_names", self)
        return data


class PersonForm(forms.Form):
    """A host action on one person of the room, named by pseudonym (unmute uses it as it is)."""

    pseudonym = forms.CharField(max_length=100, label=_("Pseudonym"))


class MuteForm(PersonForm):
    minutes = forms.IntegerField(min_value=1, max_value=MUTE_MAX_MINUTES, initial=15, label=_("For how many minutes"))
    reason = forms.CharField(max_length=300, required=False, label=_("Reason"))


class RemovePersonForm(PersonForm):
    reason = forms.CharField(max_length=300, required=False, label=_("Reason"))


class RemoveMessageForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False, label=_("Reason"))
