from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from forum import selectors, services
from forum.forms import ReplyForm, ThreadForm
from forum.models import Board, Thread
from forum.permissions import check_can_read_board
from rooms.selectors import rooms_live_and_upcoming
from safety.selectors import alerts_active

THREADS_PER_PAGE, POSTS_PER_PAGE = 25, 30


def home(request):
    return render(
        request,
        "forum/home.html",
        {
            "boards": selectors.boards_visible_to(peer=request.user),
            "rooms": rooms_live_and_upcoming()[:10],
            "alerts": alerts_active()[:5],
        },
    )


def board(request, slug: str):
    board = get_object_or_404(Board, slug=slug)
    check_can_read_board(request.user, board)
    page = Paginator(selectors.board_threads(board=board), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "forum/board.html", {"board": board, "page": page})


def thread(request, thread_id: int, slug: str | None = None):
    thread = get_object_or_404(Thread.objects.select_related("board"), pk=thread_id)
    check_can_read_board(request.user, thread.board)
    if slug != thread.slug:
        return redirect(thread.get_absolute_url())
    page = Paginator(selectors.thread_posts(thread=thread, peer=request.user), POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "forum/thread.html", {"thread": thread, "page": page, "form": ReplyForm()})


@login_required
def thread_new(request, slug: str):
    board = get_object_or_404(Board, slug=slug)
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


@login_required
def reply(request, thread_id: int):
    thread = get_object_or_404(Thread.objects.select_related("board"), pk=thread_id)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(thread=thread, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as invalid:
            form.add_error("body", invalid)
        else:
            return redirect(post.get_absolute_url())
    if request.method != "POST":
        return redirect(thread.get_absolute_url())
    return render(request, "forum/reply.html", {"thread": thread, "form": form}, status=400)
