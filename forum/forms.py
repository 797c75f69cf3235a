from django import forms

from forum.models import BODY_MAX_LENGTH, CONTENT_WARNING_MAX_LENGTH, TITLE_MAX_LENGTH
from forum.services import MSG_BODY_EMPTY, MSG_TITLE_LENGTH

BODY_ERRORS = {"required": MSG_BODY_EMPTY}

# Lengths are checked by the services (with our own messages); the form caps only absurd input.
CW_HELP = "For example: overdose, loss, self-harm. The post stays folded until someone chooses to open it."


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX_LENGTH + 100, error_messages={"required": MSG_TITLE_LENGTH})
    body = forms.CharField(widget=forms.Textarea, max_length=BODY_MAX_LENGTH + 1000, error_messages=BODY_ERRORS, help_text="Markdown works. Mention someone with @pseudonym.")
    content_warning = forms.CharField(label="Content warning", required=False, max_length=CONTENT_WARNING_MAX_LENGTH + 100, help_text=CW_HELP)


class ReplyForm(forms.Form):
    body = forms.CharField(label="Your reply", widget=forms.Textarea, max_length=BODY_MAX_LENGTH + 1000, error_messages=BODY_ERRORS, help_text="Markdown works. Mention someone with @pseudonym.")
    content_warning = forms.CharField(label="Content warning", required=False, max_length=CONTENT_WARNING_MAX_LENGTH + 100, help_text=CW_HELP)


class EditForm(ReplyForm):
    body = forms.CharField(label="Your post", widget=forms.Textarea, max_length=BODY_MAX_LENGTH + 1000, error_messages=BODY_ERRORS, help_text="Markdown works.")


class ThreadEditForm(EditForm):
    """Editing a thread's first post: its title too."""

    # Not required: a form sent without it leaves the title as it is (forum.views.post_edit).
    title = forms.CharField(required=False, max_length=TITLE_MAX_LENGTH + 100)
    field_order = ["title", "body", "content_warning"]
