"""`<div id="board" ... data-texts="{% board_texts %}">`: the words static/js/helpnow-board.js shows, in the reader's
language, as JSON in an attribute (the pattern of rooms.templatetags.chat_texts). The script keeps English fallbacks;
the {names} in braces are filled in by the script."""

import json

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def board_texts():
    return json.dumps({
        "empty_waiting": gettext("Nobody is waiting right now."),
        "empty_active": gettext("No open conversations."),
        "empty_resolved": gettext("Nothing yet."),
        "seconds": gettext("{s} s"),
        "minutes": gettext("{m} min {s} s"),
        "hours": gettext("{h} h {m} min"),
        "request": gettext("Request #{id}"),
        "waiting": gettext("waiting"),
        "overdue": gettext("waiting too long"),
        "danger": gettext("danger: {label}"),
        "taken": gettext("taken by {name}"),
        "taken_with": gettext("taken by {name} with {backup}"),
        "former": gettext("a former member"),
        "backup_wanted": gettext("backup wanted"),
        "happening": gettext("Happening:"),
        "would_help": gettext("Would help:"),
        "ended": gettext("Ended by {who}."),
        "note": gettext("Note:"),
        "helped": gettext("Person said: it helped."),
        "not_helped": gettext("Person said: it didn't help."),
        "claim": gettext("Claim"),
        "join": gettext("Join as backup"),
        "open": gettext("Open conversation"),
        "open_with": gettext("Open conversation with {name}"),
        "counts": gettext("Open conversations: {open} of {max} · Resolved this shift: {resolved}"),
        "show": gettext("Show request #{id}"),
        "session_ended": gettext("Your session has ended. Please log in again."),
        "supporters_only": gettext("The board is for supporters only."),
        "reconnecting": gettext("Disconnected. Reconnecting in {seconds} s…"),
    }, ensure_ascii=False)
