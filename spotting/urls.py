from django.urls import path

import commons.ids  # noqa: F401  (registers the <id:...> converter)
from spotting import views

app_name = "spotting"
urlpatterns = [
    path("get-help/spot/", views.start, name="start"),
    path("get-help/spot/<id:pk>/", views.session_page, name="session"),
    path("get-help/spot/<id:pk>/ok/", views.session_ok, name="ok"),
    path("get-help/spot/<id:pk>/end/", views.session_end, name="end"),
    path("get-help/spot/<id:pk>/claim/", views.session_claim, name="claim"),
    path("get-help/spot/<id:pk>/record/", views.session_record, name="record"),
    path("supporters/spot/", views.board, name="board"),
]
