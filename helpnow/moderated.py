"""A help request's held answers as a kind of moderation's queue (moderation.registry), registered in
HelpNowConfig.ready. Approving lets the supporters read them; turning them down takes them out."""

from django.utils.html import format_html_join, linebreaks
from django.utils.translation import gettext

from helpnow import services
from helpnow.models import HelpRequest
from moderation.models import Target
from moderation.registry import HeldKind
from moderation.targets import Resolved


def _resolve(pk: int) -> Resolved | None:
    help_request = HelpRequest.objects.select_related("requester").filter(pk=pk).first()
    if help_request is None:
        return None
    answers = [(gettext("What is happening?"), help_request.happening), (gettext("What would help?"), help_request.would_help)]
    body_html = format_html_join("", "<h5>{}</h5>{}", ((label, linebreaks(text, autoescape=True)) for label, text in answers if text))
    return Resolved(kind=Target.HELP, id=help_request.pk, obj=help_request, author=help_request.requester,
                    label=gettext("help request #%(id)s") % {"id": help_request.pk}, url=help_request.get_absolute_url(),
                    where=gettext("Get help now (on-duty supporters read these answers)"), body_html=body_html,
                    body="\n\n".join(text for _, text in answers if text), status=help_request.answers_status)


HELP_ANSWERS = HeldKind(
    kind=Target.HELP, noun="answers",
    resolve=_resolve,
    approve=lambda help_request, by: services.answers_decide(help_request=help_request, approve=True),
    reject=lambda help_request, by, reason: services.answers_decide(help_request=help_request, approve=False),
)
