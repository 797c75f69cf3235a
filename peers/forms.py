from django import forms
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from peers.models import BIO_MAX_LENGTH

MSG_PASSWORDS_DIFFER = gettext_noop("The two passwords don't match.")
MSG_WRONG_PASSWORD = gettext_noop("That password isn't right.")


class RecoverForm(forms.Form):
    pseudonym = forms.CharField(label=_("Pseudonym"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    code = forms.CharField(
        label=_("Recovery code"), max_length=40,
        help_text=_("The code you saved when you joined, like ABCDE-FGHJK-MNPQR-STUVW."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    new_password1 = forms.CharField(label=_("New password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", gettext(MSG_PASSWORDS_DIFFER))
        return data


class BioForm(forms.Form):
    bio = forms.CharField(
        label=_("Bio"), required=False, max_length=BIO_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown works. Please leave out anything that could identify you."),
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, peer, **kwargs):
        super().__init__(*args, **kwargs)
        self.peer = peer

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.peer.check_password(password):
            raise forms.ValidationError(gettext(MSG_WRONG_PASSWORD))
        return password


KEEP_WORDS, ERASE_WORDS = "keep", "erase"
MSG_CHOOSE_WORDS = gettext_noop("Please choose what happens to your posts and messages.")


class DeleteAccountForm(PasswordConfirmForm):
    words = forms.ChoiceField(
        label=_("What happens to your posts and messages"),
        choices=[
            (KEEP_WORDS, _("Keep them, shown as written by a former member")),
            (ERASE_WORDS, _("Erase them: every post's text, its earlier versions and your room messages")),
        ],
        widget=forms.RadioSelect, error_messages={"required": _(MSG_CHOOSE_WORDS), "invalid_choice": _(MSG_CHOOSE_WORDS)},
    )
    confirm = forms.CharField(label=_("Type your pseudonym to confirm"), max_length=30)
    field_order = ["words", "password", "confirm"]

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip()
        if value.lower() != self.peer.username.lower():
            raise forms.ValidationError(gettext("That isn't your pseudonym."))
        return value


# allauth's own forms, relabelled in the community's words (configured by ACCOUNT_FORMS).
from allauth.account.forms import ChangePasswordForm, LoginForm, SignupForm  # noqa: E402

PSEUDONYM_HELP = _("3 to 30 letters, numbers, dots, dashes or underscores. Not your name, email or phone number.")
_ALLAUTH_PASSWORDS_DIFFER = "You must type the same password each time."


def _no_placeholders(form) -> None:
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)


class InOurWords:
    """allauth's "type the same password" error, said as the rest of the site says it."""

    def clean(self):
        data = super().clean()
        errors = self.errors.get("password2")
        if errors:
            self.errors["password2"] = self.error_class(
                [gettext(MSG_PASSWORDS_DIFFER) if str(e) in (_ALLAUTH_PASSWORDS_DIFFER, gettext(_ALLAUTH_PASSWORDS_DIFFER)) else e for e in errors]
            )
        return data


class PseudonymSignupForm(InOurWords, SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Pseudonym")
        self.fields["username"].help_text = PSEUDONYM_HELP
        self.fields["password2"].label = _("Password again")
        _no_placeholders(self)


class PseudonymLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Pseudonym")
        self.fields["password"].help_text = ""  # the page itself links to recovery, under the button
        if "remember" in self.fields:
            self.fields["remember"].label = _("Stay logged in on this device")
            self.fields["remember"].help_text = _("Leave this unticked on a shared phone or computer.")
        _no_placeholders(self)


class PasswordChangeForm(InOurWords, ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].label = _("Current password")
        self.fields["password1"].label = _("New password")
        self.fields["password2"].label = _("New password again")
        _no_placeholders(self)
