from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from forum.models import BODY_MAX_LENGTH, CONTENT_WARNING_MAX_LENGTH, TITLE_MAX_LENGTH
from forum.services import MSG_BODY_EMPTY, title_length_message

BODY_ERRORS = {"required": _(MSG_BODY_EMPTY)}
TITLE_ERRORS = {"required": lazy(title_length_message, str)()}

# Lengths are checked by the services (with our own messages); the form caps only absurd input.
CW_HELP = _("For example: overdose, loss, self-harm. The post stays folded until someone chooses to open it.")
MARKDOWN_HELP = _("Markdown works. Mention someone with @pseudonym.")


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH + 100, error_messages=TITLE_ERRORS)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea, max_length=BODY_MAX_LENGTH + 1000, error_messages=BODY_ERRORS, help_text=MARKDOWN_HELP)
    content_warning = forms.CharField(label=_("Content warning"), required=False, max_length=CONTENT_WARNING_MAX_LENGTH + 100, help_text=CW_HELP)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea, max_length=BODY_MAX_LENGTH + 1000, error_messages=BODY_ERRORS, help_text=MARKDOWN_HELP)
    content_warning = forms.CharField(label=_("Content warning"), required=False, max_length=CONTENT_WARNING_MAX_LENGTH + 100, help_text=CW_HELP)


class EditForm(ReplyForm):
    body = forms.CharField(label=_("Your post"), widget=forms.Textarea, max_length=BODY_MAX_LENGTH + 1000, error_messages=BODY_ERRORS, help_text=_("Markdown works."))


class ThreadEditForm(EditForm):
    """Editing a thread's first post: its title too."""

    # Not required: a form sent without it leaves the title as it is (forum.views.post_edit).
    title = forms.CharField(label=_("Title"), required=False, max_length=TITLE_MAX_LENGTH + 100)
    field_order = ["title", "body", "content_warning"]
