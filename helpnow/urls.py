from django.urls import path

from helpnow import views

app_name = "helpnow"
urlpatterns = [
    path("get-help/", views.get_help, name="get_help"),
    path("get-help/<int:pk>/", views.request_page, name="request"),
    path("get-help/<int:pk>/end/", views.request_end, name="end"),
    path("get-help/<int:pk>/rate/", views.request_rate, name="rate"),
    path("get-help/<int:pk>/claim/", views.request_claim, name="claim"),
    path("get-help/<int:pk>/backup/", views.request_backup, name="backup"),
    path("get-help/<int:pk>/join/", views.request_join, name="join"),
    path("get-help/<int:pk>/resolve/", views.request_resolve, name="resolve"),
    path("supporters/", views.board, name="board"),
    path("supporters/duty/", views.duty, name="duty"),
    path("supporters/break/", views.need_a_break, name="break"),
]
