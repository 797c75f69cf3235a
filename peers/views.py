import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.utils.translation import gettext, gettext_noop

from commons.clients import client_address
from commons.http import safe_next
from commons.languages import valid_language
from commons.ids import parse_id
from commons.limits import limit_use
from peers import recovery, services
from peers.export import peer_data_export
from peers.forms import ERASE_WORDS, BioForm, DeleteAccountForm, PasswordConfirmForm, RecoverForm
from peers.models import Peer
from peers.deleted_pseudonyms import kept_days
from peers.selectors import account_sections

MSG_PROFILE_SAVED = gettext_noop("Your profile is saved.")
MSG_BIO_HELD = gettext_noop("Your new bio waits for a moderator first. Until then your profile shows the bio it had.")
MSG_CODE_ALREADY_SHOWN = gettext_noop("Your recovery code has already been shown. You can make a new one in Settings.")
MSG_RECOVERED = gettext_noop("Your password is changed. Here is your new recovery code: the old one no longer works.")
MSG_ACCOUNT_DELETED = gettext_noop("Your account is deleted. What you wrote stays, shown as written by a former member.")
MSG_ACCOUNT_ERASED = gettext_noop("Your account is deleted, and what you wrote is erased.")
MSG_NO_EMAIL_HERE = gettext_noop("There is no email here. Forgot your password? Use your recovery code at /accounts/recover/.")


def no_email(request, **kwargs):
    """allauth's email routes (config/urls.py): nothing here sends, stores or confirms an email address."""
    raise Http404(gettext(MSG_NO_EMAIL_HERE))


# Personal pages carry @never_cache (Cache-Control: ... no-store, private): a browser keeps no copy that a
# later user of a shared device could reopen (docs/accounts.md, "Shared devices").


@never_cache
@login_required
def recovery_code(request):
    """Show a freshly issued recovery code exactly once."""
    if request.method == "POST":
        return redirect(safe_next(request))
    code = recovery.code_unseal_once(request.session)
    return render(request, "peers/recovery_code.html", {"code": code, "already_shown": gettext(MSG_CODE_ALREADY_SHOWN)})


@never_cache
def recover(request):
    form = RecoverForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                recovered = services.account_recover(
                    pseudonym=form.cleaned_data["pseudonym"],
                    code=form.cleaned_data["code"],
                    new_password=form.cleaned_data["new_password1"],
                    address=client_address(request),
                )
            except services.RecoveryFailed as failure:
                form.add_error(None, str(failure))
            except ValidationError as invalid:
                form.add_error("new_password1", invalid)
            else:
                login(request, recovered.peer, backend=settings.AUTHENTICATION_BACKENDS[0])
                services.recovery_code_show_once(request, recovered.new_code)
                messages.success(request, gettext(MSG_RECOVERED))
                return redirect("peers:recovery_code")
        status = 400
    return render(request, "peers/recover.html", {"form": form}, status=status)


def profile(request, pseudonym: str):
    peer = get_object_or_404(Peer, username__iexact=pseudonym, is_active=True)
    return render(request, "peers/profile.html", {"peer": peer})


@never_cache
@login_required
def settings_page(request):
    form = BioForm(request.POST or None, initial={"bio": request.user.bio_pending or request.user.bio})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = services.profile_update(peer=request.user, bio=form.cleaned_data["bio"])
            except ValidationError as invalid:
                form.add_error("bio", invalid)
            else:
                saved = MSG_BIO_HELD if outcome == "held" else MSG_PROFILE_SAVED
                messages.success(request, gettext(saved))
                return redirect("peers:settings")
        status = 400
    return render(request, "peers/settings.html", {"bio_form": form, "sections": account_sections(peer=request.user)}, status=status)


@never_cache
@login_required
def new_recovery_code(request):
    form = PasswordConfirmForm(request.POST or None, peer=request.user)
    if request.method == "POST":
        if form.is_valid():
            services.recovery_code_show_once(request, services.recovery_code_renew(peer=request.user))
            return redirect("peers:recovery_code")
        return render(request, "peers/new_recovery_code.html", {"form": form}, status=400)
    return render(request, "peers/new_recovery_code.html", {"form": form})


@never_cache
@login_required
def export_data(request):
    limit_use("data_export", request.user.pk)
    document = peer_data_export(peer=request.user)
    response = HttpResponse(json.dumps(document, indent=2, default=str), content_type="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@never_cache
@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, peer=request.user)
    if request.method == "POST":
        if form.is_valid():
            erase = form.cleaned_data["words"] == ERASE_WORDS
            services.account_delete(peer=request.user, erase_words=erase)  # all or nothing; then sign out
            logout(request)
            messages.success(request, gettext(MSG_ACCOUNT_ERASED if erase else MSG_ACCOUNT_DELETED))
            return redirect("/")
        return render(request, "peers/delete_account.html", {"form": form, "kept_days": kept_days()}, status=400)
    return render(request, "peers/delete_account.html", {"form": form, "kept_days": kept_days()})


@never_cache
@login_required
def notifications(request):
    """The list writes nothing (a GET never does): the page marks what it shows as read by a POST, sent in the
    background once shown (static/js/mark-read.js) or by its button."""
    items = list(request.user.notifications.all()[:100])
    newest_unread = max((item.pk for item in items if item.read_at is None), default=None)
    return render(request, "peers/notifications.html", {"items": items, "newest_unread": newest_unread})


@require_POST
@login_required
def notifications_read(request):
    up_to = parse_id(request.POST.get("up_to", ""))
    services.notifications_mark_read(peer=request.user, up_to_id=up_to)
    if "application/json" in request.headers.get("Accept", ""):
        return HttpResponse(status=204)
    return redirect("peers:notifications")


@require_POST
@login_required
def time_zone(request):
    """The browser's time zone, sent once by static/js/local-time.js: 204, or 400 for a name that is no zone."""
    try:
        services.time_zone_set(peer=request.user, name=request.POST.get("time_zone", ""))
    except ValidationError as error:
        return HttpResponse(error.messages[0], status=400, content_type="text/plain; charset=utf-8")
    return HttpResponse(status=204)


@require_POST
def language(request):
    """The header's language menu: kept in the account for a member, in the `lang` cookie for everyone; back to
    the page it was chosen on. 400 for a language not offered."""
    code = valid_language(request.POST.get("language"))
    if not code:
        return HttpResponse(gettext("That language is not offered here."), status=400, content_type="text/plain; charset=utf-8")
    if request.user.is_authenticated:
        services.language_set(peer=request.user, code=code)
    back = request.headers.get("Referer", "")
    if back and not request.POST.get("next"):
        # The page the menu was used on: its path only, and only when it is this site's.
        parts = urlsplit(back)
        same_site = parts.netloc == request.get_host() and parts.scheme in ("http", "https")
        back = (parts.path + (f"?{parts.query}" if parts.query else "")) if same_site and parts.path.startswith("/") and not parts.path.startswith("//") else "/"
    response = redirect(safe_next(request, back or "/"))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE, path="/",
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE, secure=settings.LANGUAGE_COOKIE_SECURE)
    return response


def shared_device(request):
    """Staying safe on a shared device: what quick exit does, what the site can't erase, private windows."""
    return render(request, "peers/shared_device.html")
