from django import forms

from peers.models import BIO_MAX_LENGTH


class RecoverForm(forms.Form):
    pseudonym = forms.CharField(max_length=30, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    code = forms.CharField(
        label="Recovery code", max_length=40,
        help_text="The code you saved when you joined, like ABCDE-FGHJK-MNPQR-STUVW.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    new_password1 = forms.CharField(label="New password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label="New password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "The two passwords don't match.")
        return data


class BioForm(forms.Form):
    bio = forms.CharField(
        required=False, max_length=BIO_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown works. Please leave out anything that could identify you.",
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(label="Your password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, peer, **kwargs):
        super().__init__(*args, **kwargs)
        self.peer = peer

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.peer.check_password(password):
            raise forms.ValidationError("That password isn't right.")
        return password


class DeleteAccountForm(PasswordConfirmForm):
    confirm = forms.CharField(label="Type your pseudonym to confirm", max_length=30)

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip()
        if value.lower() != self.peer.username.lower():
            raise forms.ValidationError("That isn't your pseudonym.")
        return value


# allauth's own forms, relabelled in the community's words (configured by ACCOUNT_FORMS).
from allauth.account.forms import LoginForm, SignupForm  # noqa: E402

PSEUDONYM_HELP = "3 to 30 letters, numbers, dots, dashes or underscores. Not your name, email or phone number."


class PseudonymSignupForm(SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Pseudonym"
        self.fields["username"].help_text = PSEUDONYM_HELP
        self.fields["username"].widget.attrs.pop("placeholder", None)
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)


class PseudonymLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Pseudonym"
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
