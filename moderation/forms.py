from django import forms
from django.utils.translation import gettext_lazy as _

from moderation import registry
from moderation.models import Action, ReportReason, SourcingPattern

DURATIONS = [("", _("choose how long")), ("1", _("1 hour")), ("24", _("24 hours")), ("72", _("3 days")), ("168", _("7 days")), ("720", _("30 days"))]


class ReportForm(forms.Form):
    target = forms.CharField(widget=forms.HiddenInput, max_length=60)
    reason = forms.ChoiceField(choices=ReportReason.choices, widget=forms.RadioSelect, label=_("What is wrong?"))
    text = forms.CharField(
        required=False, max_length=1000, label=_("Anything a moderator should know"),
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "id_text_help"}), help_text=_("Needed when you choose “something else”. Only moderators read it."),
    )


class DecisionForm(forms.Form):
    content_action = forms.ChoiceField(
        required=False, label=_("What happens to it"),
        choices=[("", _("no change")), (Action.APPROVE, _("approve: public")), (Action.HIDE, _("hide: only moderators see it")),
                 (Action.DELETE, _("delete: removed for good")), (Action.REDACT, _("redact: take out personal information, keep the rest")),
                 (Action.DISMISS, _("dismiss the reports: nothing wrong"))],
    )
    sanction = forms.ChoiceField(
        required=False, label=_("And for the person"),
        choices=[("", _("nothing")), (Action.WARN, _("warn")), (Action.MUTE, _("mute (forum and rooms)")),
                 (Action.SUSPEND, _("suspend")), (Action.BAN, _("ban"))],
    )
    hours = forms.TypedChoiceField(required=False, choices=DURATIONS, coerce=float, empty_value=None, label=_("For how long (mute or suspension)"))
    category = forms.ChoiceField(
        required=False, choices=[("", _("choose"))] + ReportReason.choices, label=_("Rule or reason"),
        help_text=_("The public log shows this category, never the member or the content."),
    )
    rule = forms.ChoiceField(
        required=False, label=_("Which community rule does it rest on?"),
        help_text=_("The public log and the person's notice show the rule's number and title. Choose “other” and say why in the reason when no rule fits."),
    )
    reason = forms.CharField(required=False, max_length=500, label=_("Reason"), help_text=_("The person affected and moderators read this; the public log doesn't. Don't quote the content."))
    redacted_body = forms.CharField(required=False, label=_("Text after redaction"), widget=forms.Textarea(attrs={"rows": 5}))


    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rules in force now (moderation.registry: the voice app registers them).
        self.fields["rule"].choices = [("", _("none (approving or dismissing)"))] + [
            (str(rule.number), f"{rule.number}. {rule.title}") for rule in registry.current_rules()
        ] + [("other", _("other (say why in the reason)"))]


class AppealForm(forms.Form):
    text = forms.CharField(max_length=2000, label=_("Why should the decision change?"), widget=forms.Textarea(attrs={"rows": 4}))


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("uphold", _("keep the decision")), ("overturn", _("reverse the decision"))], widget=forms.RadioSelect, label=_("Decision"))
    reason = forms.CharField(max_length=500, label=_("Reason"), help_text=_("The person who appealed and the public log see this."))


class PatternForm(forms.Form):
    pattern = forms.CharField(max_length=200, label=_("Word, phrase or pattern"))
    kind = forms.ChoiceField(choices=SourcingPattern.Kind.choices, label=_("Kind"))
    note = forms.CharField(required=False, max_length=200, label=_("Note for other moderators"))
