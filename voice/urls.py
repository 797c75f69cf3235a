from django.urls import path

import commons.ids  # noqa: F401  (registers the <id:...> converter)
from voice import views

app_name = "voice"
urlpatterns = [
    path("rules/", views.rules, name="rules"),
    path("rules/history/", views.rules_history, name="rules_history"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/stand/", views.stand, name="stand"),
    path("proposals/<id:proposal_id>/", views.proposal, name="proposal"),
    path("proposals/<id:proposal_id>/vote/", views.vote, name="vote"),
    path("proposals/<id:proposal_id>/suspend/", views.suspend, name="suspend"),
]
