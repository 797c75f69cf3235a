from django import forms

from forum.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX_LENGTH + 100)
    body = forms.CharField(widget=forms.Textarea, max_length=BODY_MAX_LENGTH + 1000, help_text="Markdown works.")


class ReplyForm(forms.Form):
    body = forms.CharField(label="Your reply", widget=forms.Textarea, max_length=BODY_MAX_LENGTH + 1000)
