"""Forum pages: parse input, check, call one service or selector, respond."""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.middleware.csrf import get_token
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from commons import extras
from commons.http import sign_in_first
from commons.ids import parse_id
from commons.languages import gettext_for
from forum import selectors, services
from forum.forms import EditForm, ReplyForm, ThreadEditForm, ThreadForm
from forum.models import Board, Post, Thread
from forum.permissions import (
    MSG_SIGN_IN_TO_POST,
    check_can_moderate_thread,
    check_can_read_board,
    check_can_start_thread,
    check_can_read_post,
    check_can_change_post,
    check_can_see_history,
)
from moderation.models import ModerationStatus
from moderation.trust import is_new_account

THREADS_PER_PAGE, POSTS_PER_PAGE, RESULTS_PER_PAGE = 25, 30, 20
MSG_BAD_ACTION = gettext_noop("That action isn't possible here.")


def _board_or_404(slug: str) -> Board:
    try:
        return selectors.board_get(slug=slug)
    except Board.DoesNotExist:
        raise Http404("No such board.") from None


def _thread_or_404(thread_id: int, peer) -> Thread:
    """The thread if `peer` may see it; a held or removed thread is "no such thread" to everyone else."""
    try:
        return selectors.thread_get(thread_id=thread_id, peer=peer)
    except Thread.DoesNotExist:
        raise Http404("No such thread.") from None


def _post_or_404(post_id: int) -> Post:
    try:
        return selectors.post_get(post_id=post_id)
    except Post.DoesNotExist:
        raise Http404("No such post.") from None


def _bad_request(request, message: str):
    return render(request, "forum/error.html", {"message": gettext(message)}, status=400)


def _post_url(post: Post, peer) -> str:
    """The thread page that holds the post, with its anchor."""
    page = selectors.post_page_number(post=post, peer=peer, per_page=POSTS_PER_PAGE)
    query = f"?page={page}" if page > 1 else ""
    return f"{post.thread.get_absolute_url()}{query}#p{post.pk}"


def _quote(post: Post) -> str:
    name = post.author.username if post.author else gettext("former member")
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.splitlines())
    wrote = gettext("**@%(name)s** wrote:") % {"name": name}
    return f"> {wrote}\n>\n{quoted}\n\n"


def board(request, slug: str):
    board = _board_or_404(slug)
    check_can_read_board(request.user, board)
    page = Paginator(selectors.board_threads(board=board, peer=request.user), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    rows_html = _jinja(request, "forum/_thread_rows.html", {"threads": page.object_list})
    return render(request, "forum/board.html", {"board": board, "page": page, "rows_html": rows_html})


def thread(request, thread_id: int, slug: str | None = None):
    try:
        thread = selectors.thread_for_reader(thread_id=thread_id, peer=request.user)
    except Thread.DoesNotExist:
        raise Http404("No such thread.") from None
    check_can_read_board(request.user, thread.board)
    if slug != thread.slug:
        query = request.META.get("QUERY_STRING", "")
        return redirect(thread.get_absolute_url() + (f"?{query}" if query else ""))
    page = Paginator(selectors.thread_posts(thread=thread, peer=request.user), POSTS_PER_PAGE).get_page(request.GET.get("page"))
    posts = selectors.posts_decorate(page.object_list, peer=request.user, thread=thread, next_path=request.get_full_path())
    # The page writes nothing (a GET never does): the reading position moves by a POST the page sends once shown.
    read_up_to = posts[-1].id if posts and request.user.is_authenticated and (thread.read_position or 0) < posts[-1].id else None
    context = {
        "thread": thread,
        "read_up_to": read_up_to,
        "page": page,
        "posts_html": _posts_html(request, posts),
        "reply_fields_html": _blank_reply_fields_html(get_language()),
        "subscribed": thread.subscribed,
        # What other apps add under the title (a poll: voice), through a slot: forum imports none of them.
        "extras_html": extras.render_one("forum.thread", request, thread),
    }
    return render(request, "forum/thread.html", context)


@functools.cache
def _blank_reply_fields_html(language: str) -> SafeString:
    """The empty reply form's fields under every thread: the same markup each time, rendered once per
    process and language (Django's form rendering cost 0.3 ms a page, docs/performance.md)."""
    return render_to_string("_form_fields.html", {"form": ReplyForm()})


def _posts_html(request, posts) -> SafeString:
    """The page's posts, rendered by Jinja2 (see templates/jinja2/forum/_posts.html for why)."""
    overdose_card = ""
    if any(post.mentions_overdose for post in posts):
        overdose_card = render_to_string("safety/_overdose_card.html", {"EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER})
    return _jinja(request, "forum/_posts.html", {"posts": posts, "overdose_card": mark_safe(overdose_card)})


def _jinja(request, template: str, context: dict) -> SafeString:
    """A hot partial rendered by Jinja2 (docs/architecture.md, "Templates") for a DTL page to print."""
    context |= {
        "_": gettext_for(get_language()),  # the partial's words, remembered per language (commons.languages)
        "signed_in": request.user.is_authenticated,
        "reader_id": request.user.pk,
        # One masked token for every form in the partial: the backend's own `csrf_token` (given
        # request=) masks a fresh one at each use, 90 times on a thread page.
        "csrf_token": get_token(request),
    }
    return mark_safe(render_to_string(template, context, using="jinja2"))


def thread_new(request, slug: str):
    board = _board_or_404(slug)
    if (response := sign_in_first(request, MSG_SIGN_IN_TO_POST)) is not None:
        return response
    check_can_start_thread(request.user, board)
    form = ThreadForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                thread = services.thread_create(board=board, author=request.user, **form.cleaned_data)
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                return redirect(thread.get_absolute_url())
        status = 400
    return render(request, "forum/thread_new.html", {"board": board, "form": form}, status=status)


def reply(request, thread_id: int):
    thread = _thread_or_404(thread_id, request.user)
    if (response := sign_in_first(request, MSG_SIGN_IN_TO_POST)) is not None:
        return response
    if request.method != "POST":
        quote_id = parse_id(request.GET.get("quote", ""))
        if quote_id is None:
            return redirect(thread.get_absolute_url())
        quoted = _post_or_404(quote_id)
        check_can_read_post(request.user, quoted)
        if quoted.thread_id != thread.pk or quoted.is_deleted:
            raise Http404("No such post in this thread.")
        form = ReplyForm(initial={"body": _quote(quoted)})
        return render(request, "forum/reply.html", {"thread": thread, "form": form})
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            post = services.post_create(thread=thread, author=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            form.add_error("body", invalid)
        else:
            return redirect(_post_url(post, request.user))
    return render(request, "forum/reply.html", {"thread": thread, "form": form}, status=400)


def thread_unread(request, thread_id: int):
    thread = _thread_or_404(thread_id, request.user)
    check_can_read_board(request.user, thread.board)
    post = selectors.first_unread_post(thread=thread, peer=request.user)
    if post is None:
        return redirect(thread.get_absolute_url())
    post.thread = thread
    return HttpResponseRedirect(_post_url(post, request.user))


MSG_BAD_READ_POSITION = gettext_noop("That post isn't in this thread.")


@require_POST
def thread_read(request, thread_id: int):
    """The reader has seen the thread up to `post` (sent by the thread page once shown; a GET writes nothing)."""
    thread = _thread_or_404(thread_id, request.user)
    sign_in_first(request, MSG_SIGN_IN_TO_POST)
    check_can_read_board(request.user, thread.board)
    post_id = parse_id(request.POST.get("post", ""))
    if post_id is None or not selectors.post_in_thread(thread=thread, post_id=post_id):
        return HttpResponseBadRequest(gettext(MSG_BAD_READ_POSITION))
    services.thread_mark_read(thread=thread, peer=request.user, up_to_post_id=post_id)
    if "application/json" in request.headers.get("Accept", ""):
        return HttpResponse(status=204)
    return redirect(thread.get_absolute_url())


@require_POST
def thread_subscribe(request, thread_id: int):
    thread = _thread_or_404(thread_id, request.user)
    sign_in_first(request, MSG_SIGN_IN_TO_POST)
    services.subscription_set(thread=thread, peer=request.user, on=request.POST.get("on") == "1")
    return redirect(thread.get_absolute_url())


@require_POST
def thread_moderate(request, thread_id: int):
    thread = _thread_or_404(thread_id, request.user)
    check_can_moderate_thread(request.user)
    actions = {
        "lock": lambda: services.thread_lock(thread=thread, by=request.user, locked=True),
        "unlock": lambda: services.thread_lock(thread=thread, by=request.user, locked=False),
        "pin": lambda: services.thread_pin(thread=thread, by=request.user, pinned=True),
        "unpin": lambda: services.thread_pin(thread=thread, by=request.user, pinned=False),
    }
    action = actions.get(request.POST.get("action", ""))
    if action is None:
        return _bad_request(request, MSG_BAD_ACTION)
    action()
    return redirect(thread.get_absolute_url())


def post_permalink(request, post_id: int):
    post = _post_or_404(post_id)
    check_can_read_post(request.user, post)
    return HttpResponseRedirect(_post_url(post, request.user))


def post_edit(request, post_id: int):
    post = _post_or_404(post_id)
    if (response := sign_in_first(request, MSG_SIGN_IN_TO_POST)) is not None:
        return response
    check_can_change_post(request.user, post)
    first = selectors.is_first_post(post=post)
    waiting = selectors.pending_edit_of(post=post)
    # The author goes on from the edit that waits, if one does: saving it again replaces it.
    shown = waiting or post
    initial = {"body": shown.body, "content_warning": shown.content_warning, "title": (waiting and waiting.title) or post.thread.title}
    form = (ThreadEditForm if first else EditForm)(request.POST or None, initial=initial)
    context = {"post": post, "form": form, "waiting": waiting, "outcome": edit_outcome_text(post=post, peer=request.user)}
    if request.method == "POST":
        if form.is_valid():
            changes = dict(form.cleaned_data)
            if first and "title" not in request.POST:
                changes.pop("title", None)
            try:
                services.post_edit(post=post, by=request.user, **changes)
            except ValidationError as invalid:
                form.add_error("title" if getattr(invalid, "code", "") == "title_length" else "body", invalid)
            else:
                return HttpResponseRedirect(_post_url(post, request.user))
        return render(request, "forum/post_edit.html", context, status=400)
    return render(request, "forum/post_edit.html", context)


MSG_EDIT_PUBLISHED_AT_ONCE = gettext_noop("Your changes will replace the post at once.")
MSG_EDIT_MAY_WAIT = gettext_noop(
    "Your changes replace the post at once, unless they would be held (contact details, payment handles, buying or "
    "selling{links}): then the version everyone sees now stays up, and your edit waits for a moderator. You can withdraw it while it waits."
)
MSG_EDIT_WILL_WAIT = gettext_noop(
    "Posts from new accounts are checked first, so your edit will wait for a moderator; until then everyone sees the "
    "version that is up now. You can withdraw it while it waits."
)
MSG_EDIT_OF_HELD_POST = gettext_noop("This post is still waiting for a moderator; your changes replace what waits, and it stays hidden from others until approved.")


def edit_outcome_text(*, post: Post, peer) -> str:
    """What saving an edit will do, said on the edit page before saving (forum.services.post_edit decides)."""
    if peer.is_moderator:
        return gettext(MSG_EDIT_PUBLISHED_AT_ONCE)
    if post.moderation_status != ModerationStatus.APPROVED:
        return gettext(MSG_EDIT_OF_HELD_POST)
    if is_new_account(peer):
        return gettext(MSG_EDIT_WILL_WAIT)
    return gettext(MSG_EDIT_MAY_WAIT).format(links="")


@require_POST
def post_edit_withdraw(request, post_id: int):
    post = _post_or_404(post_id)
    sign_in_first(request, MSG_SIGN_IN_TO_POST)
    services.pending_edit_withdraw(post=post, by=request.user)
    return HttpResponseRedirect(_post_url(post, request.user))


def post_delete(request, post_id: int):
    post = _post_or_404(post_id)
    if (response := sign_in_first(request, MSG_SIGN_IN_TO_POST)) is not None:
        return response
    check_can_change_post(request.user, post)
    if request.method == "POST":
        services.post_delete(post=post, by=request.user)
        return HttpResponseRedirect(_post_url(post, request.user))
    return render(request, "forum/post_delete.html", {"post": post})


def post_history(request, post_id: int):
    post = _post_or_404(post_id)
    if (response := sign_in_first(request, MSG_SIGN_IN_TO_POST)) is not None:
        return response
    check_can_see_history(request.user, post)
    return render(request, "forum/post_history.html", {"post": post, "revisions": selectors.post_revisions(post=post)})


@require_POST
def post_react(request, post_id: int):
    post = _post_or_404(post_id)
    sign_in_first(request, MSG_SIGN_IN_TO_POST)
    kind, action = request.POST.get("kind", ""), request.POST.get("action", "add")
    try:
        if action == "remove":
            services.reaction_remove(post=post, peer=request.user, kind=kind)
        else:
            services.reaction_add(post=post, peer=request.user, kind=kind)
    except ValidationError as invalid:
        return _bad_request(request, invalid.messages[0])
    return HttpResponseRedirect(_post_url(post, request.user))


@require_POST
def post_bookmark(request, post_id: int):
    post = _post_or_404(post_id)
    sign_in_first(request, MSG_SIGN_IN_TO_POST)
    services.bookmark_set(post=post, peer=request.user, on=request.POST.get("on") == "1")
    if request.POST.get("next") == "bookmarks":
        return redirect(reverse("forum:bookmarks"))
    return HttpResponseRedirect(_post_url(post, request.user))


@never_cache  # a personal page: never kept in a browser's cache (shared devices)
def bookmarks(request):
    if (response := sign_in_first(request, MSG_SIGN_IN_TO_POST)) is not None:
        return response
    page = Paginator(selectors.bookmarks_of(peer=request.user), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "forum/bookmarks.html", {"page": page})


def search(request):
    query = request.GET.get("q", "").strip()
    ids = selectors.search_result_ids(query=query, peer=request.user)
    page = Paginator(ids, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    results = selectors.search_headlines(selectors.search_results_for_page(list(page.object_list)), query)
    context = {"query": query, "page": page, "results": results, "capped": len(ids) >= selectors.SEARCH_CANDIDATES}
    return render(request, "forum/search.html", context)
