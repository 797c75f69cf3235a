from django import forms

from moderation import registry
from moderation.models import Action, ReportReason, SourcingPattern

DURATIONS = [("", "choose how long"), ("1", "1 hour"), ("24", "24 hours"), ("72", "3 days"), ("168", "7 days"), ("720", "30 days")]


class ReportForm(forms.Form):
    target = forms.CharField(widget=forms.HiddenInput, max_length=60)
    reason = forms.ChoiceField(choices=ReportReason.choices, widget=forms.RadioSelect, label="What is wrong?")
    text = forms.CharField(
        required=False, max_length=1000, label="Anything a moderator should know",
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "id_text_help"}), help_text="Needed when you choose “something else”. Only moderators read it.",
    )


class DecisionForm(forms.Form):
    content_action = forms.ChoiceField(
        required=False, label="What happens to it",
        choices=[("", "no change"), (Action.APPROVE, "approve: public"), (Action.HIDE, "hide: only moderators see it"),
                 (Action.DELETE, "delete: removed for good"), (Action.REDACT, "redact: take out personal information, keep the rest"),
                 (Action.DISMISS, "dismiss the reports: nothing wrong")],
    )
    sanction = forms.ChoiceField(
        required=False, label="And for the person",
        choices=[("", "nothing"), (Action.WARN, "warn"), (Action.MUTE, "mute (forum and rooms)"),
                 (Action.SUSPEND, "suspend"), (Action.BAN, "ban")],
    )
    hours = forms.TypedChoiceField(required=False, choices=DURATIONS, coerce=float, empty_value=None, label="For how long (mute or suspension)")
    category = forms.ChoiceField(
        required=False, choices=[("", "choose")] + ReportReason.choices, label="Rule or reason",
        help_text="The public log shows this category, never the member or the content.",
    )
    rule = forms.ChoiceField(
        required=False, label="Which community rule does it rest on?",
        help_text="The public log and the person's notice show the rule's number and title. Choose “other” and say why in the reason when no rule fits.",
    )
    reason = forms.CharField(required=False, max_length=500, label="Reason", help_text="The person affected and moderators read this; the public log doesn't. Don't quote the content.")
    redacted_body = forms.CharField(required=False, label="Text after redaction", widget=forms.Textarea(attrs={"rows": 5}))


    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rules in force now (moderation.registry: the voice app registers them).
        self.fields["rule"].choices = [("", "none (approving or dismissing)")] + [
            (str(rule.number), f"{rule.number}. {rule.title}") for rule in registry.current_rules()
        ] + [("other", "other (say why in the reason)")]


class AppealForm(forms.Form):
    text = forms.CharField(max_length=2000, label="Why should the decision change?", widget=forms.Textarea(attrs={"rows": 4}))


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("uphold", "keep the decision"), ("overturn", "reverse the decision")], widget=forms.RadioSelect, label="Decision")
    reason = forms.CharField(max_length=500, label="Reason", help_text="The person who appealed and the public log see this.")


class PatternForm(forms.Form):
    pattern = forms.CharField(max_length=200, label="Word, phrase or pattern")
    kind = forms.ChoiceField(choices=SourcingPattern.Kind.choices, label="Kind")
    note = forms.CharField(required=False, max_length=200, label="Note for other moderators")
