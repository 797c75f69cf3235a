from django.urls import path

import commons.ids  # noqa: F401  (registers the <id:...> converter)
from helpnow import views

app_name = "helpnow"
urlpatterns = [
    path("get-help/", views.get_help, name="get_help"),
    path("get-help/<id:pk>/", views.request_page, name="request"),
    path("get-help/<id:pk>/end/", views.request_end, name="end"),
    path("get-help/<id:pk>/rate/", views.request_rate, name="rate"),
    path("get-help/<id:pk>/claim/", views.request_claim, name="claim"),
    path("get-help/<id:pk>/backup/", views.request_backup, name="backup"),
    path("get-help/<id:pk>/join/", views.request_join, name="join"),
    path("get-help/<id:pk>/resolve/", views.request_resolve, name="resolve"),
    path("supporters/", views.board, name="board"),
    path("supporters/duty/", views.duty, name="duty"),
    path("supporters/break/", views.need_a_break, name="break"),
]
