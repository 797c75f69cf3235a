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
    # Polls in threads (forum's thread page shows them through commons.extras, slot "forum.thread").
    path("t/<id:thread_id>/poll/", views.poll, name="poll"),
    path("t/<id:thread_id>/poll/new/", views.poll_new, name="poll_new"),
    path("t/<id:thread_id>/poll/vote/", views.poll_vote, name="poll_vote"),
    # Ratings of services (safety's directory shows them through commons.extras, slot "safety.services").
    path("services/<id:entry_id>/rate/", views.service_rate, name="service_rate"),
    path("services/ratings/review/", views.rating_review, name="rating_review"),
]
