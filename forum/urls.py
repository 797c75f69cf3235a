from django.urls import path

import commons.ids  # noqa: F401  (registers the <id:...> converter)
from forum import views

app_name = "forum"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("bookmarks/", views.bookmarks, name="bookmarks"),
    path("b/<slug:slug>/", views.board, name="board"),
    path("b/<slug:slug>/new/", views.thread_new, name="thread_new"),
    path("t/<id:thread_id>/", views.thread, name="thread"),
    path("t/<id:thread_id>/reply/", views.reply, name="reply"),
    path("t/<id:thread_id>/unread/", views.thread_unread, name="thread_unread"),
    path("t/<id:thread_id>/read/", views.thread_read, name="thread_read"),
    path("t/<id:thread_id>/subscribe/", views.thread_subscribe, name="thread_subscribe"),
    path("t/<id:thread_id>/moderate/", views.thread_moderate, name="thread_moderate"),
    path("t/<id:thread_id>/<slug:slug>/", views.thread, name="thread_slug"),
    path("p/<id:post_id>/", views.post_permalink, name="post"),
    path("p/<id:post_id>/edit/", views.post_edit, name="post_edit"),
    path("p/<id:post_id>/edit/withdraw/", views.post_edit_withdraw, name="post_edit_withdraw"),
    path("p/<id:post_id>/delete/", views.post_delete, name="post_delete"),
    path("p/<id:post_id>/history/", views.post_history, name="post_history"),
    path("p/<id:post_id>/react/", views.post_react, name="post_react"),
    path("p/<id:post_id>/bookmark/", views.post_bookmark, name="post_bookmark"),
]
