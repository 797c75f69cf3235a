from django.urls import path

import commons.ids  # noqa: F401  (registers the <id:...> converter)
from moderation import views

app_name = "moderation"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("mod/", views.queue, name="queue"),
    path("mod/item/<id:item_id>/", views.item, name="item"),
    path("mod/log/", views.log, name="log"),
    path("transparency/", views.transparency_page, name="transparency"),
    path("mod/dashboard/", views.dashboard, name="dashboard"),
    path("mod/appeals/", views.appeals, name="appeals"),
    path("mod/appeals/<id:appeal_id>/", views.appeal_decide, name="appeal_decide"),
    path("mod/patterns/", views.patterns, name="patterns"),
    path("mod/patterns/<id:pattern_id>/", views.pattern_toggle, name="pattern_toggle"),
    path("appeal/", views.my_decisions, name="my_decisions"),
    path("appeal/<id:entry_id>/", views.appeal_create, name="appeal_create"),
]
