"""Forms that draw the proposal and vote pages. The services check every field (voice.services): these only
render what the person typed back to them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from voice.models import RULE_TEXT_MAX, RULE_TITLE_MAX, Choice, Kind


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.RadioSelect, label=_("What do you propose?"))
    rule = forms.ChoiceField(required=False, label=_("Which rule (to change or remove)"))
    title = forms.CharField(required=False, max_length=RULE_TITLE_MAX, label=_("Title"),
                            help_text=_("For a new or changed rule: the rule's title. For a question: the question."))
    text = forms.CharField(required=False, max_length=RULE_TEXT_MAX, label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("For a new or changed rule: its exact new text, as it would read on the rules page. "
                                       "Otherwise: why, in your words."))
    nominee = forms.CharField(required=False, max_length=150, label=_("Nominee's pseudonym (to elect or recall a moderator)"),
                              help_text=_("Someone may be elected only after saying they would stand, on the proposals page."))

    def __init__(self, *args, rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", _("choose a rule"))] + [(str(r.number), f"{r.number}. {r.title}") for r in rules]


class VoteForm(forms.Form):
    choice = forms.ChoiceField(choices=Choice.choices, widget=forms.RadioSelect, label=_("Choose one"))
    reason = forms.CharField(required=False, max_length=500, label=_("Reason (needed to block)"),
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("A block says: this would harm the community, don't adopt it. Its reason is shown "
                                         "after the close, without your name."))
