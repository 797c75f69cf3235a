"""`<section ... data-texts="{% chat_texts %}">`: the words static/js/rooms.js shows, in the reader's language, as
JSON in an attribute (escaped by the template; no script element in the page). The script keeps English
fallbacks; {name}, {count} and {seconds} are filled in by the script."""

import json

from django import template
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.simple_tag
def chat_texts():
    return json.dumps({
        "not_sent": gettext("That message couldn't be sent, so it is back in the box. Please try again."),
        "closed": gettext("This room is closed. You can read it, but not write."),
        "scheduled": gettext("This room hasn't opened yet. You can read along until the host opens it."),
        "sending": gettext("Sending…"),
        "send": gettext("Send"),
        "remove": gettext("Remove"),
        "report": gettext("Report"),
        "confirm_remove": gettext("Remove this message for everyone?"),
        "remove_failed": gettext("Couldn't remove that message. Please reload and try again."),
        "held": gettext("waiting for a moderator"),
        "says": gettext("{name} says: {text}"),
        "typing": gettext("{name} is typing…"),
        "online_one": ngettext("{count} person online", "{count} people online", 1),
        "online_many": ngettext("{count} person online", "{count} people online", 2),
        "alert": gettext("Drug alert:"),
        "read_alert": gettext("Read the alert"),
        "session_ended": gettext("Your session has ended. Please log in again to chat."),
        "cant_join": gettext("You can't join this room right now."),
        "gone": gettext("This room no longer exists."),
        "offline": gettext("Offline"),
        "live": gettext("live now"),
        "closed_badge": gettext("closed"),
        "scheduled_badge": gettext("scheduled"),
        "offline_banner": gettext("You're offline. We'll reconnect and catch up as soon as you're back; anything you write now goes then."),
        "reconnecting": gettext("Disconnected. Reconnecting in {seconds} s… Nothing you missed will be lost."),
        "empty": gettext("Write something first."),
        "too_long": gettext("Messages can be up to 2,000 characters."),
        "remove_label": gettext("Remove message by {name}"),
        "report_label": gettext("Report message by {name}"),
        "removed_by_mod": gettext("Message removed by a moderator."),
        "unsendable": gettext("That message has a character that can't be sent (a NUL, or half of an emoji). Please remove it."),
    }, ensure_ascii=False)
