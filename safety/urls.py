from django.urls import path

import commons.ids  # noqa: F401  (registers the <id:...> converter)
from safety import feeds, views

app_name = "safety"
urlpatterns = [
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/new/", views.alert_new, name="alert_new"),
    path("alerts/archive/", views.alert_archive, name="alert_archive"),
    path("alerts/regions/", views.alert_regions, name="alert_regions"),
    path("alerts/<id:alert_id>/seen/", views.alert_seen, name="alert_seen"),
    path("alerts/<id:alert_id>/review/", views.alert_review, name="alert_review"),
    path("feeds/alerts.atom", feeds.alerts_feed, {"fmt": "atom"}, name="alerts_atom"),
    path("feeds/alerts.json", feeds.alerts_feed, {"fmt": "json"}, name="alerts_json"),
    path("feeds/alerts/<str:region>.atom", feeds.region_alerts_feed, {"fmt": "atom"}, name="region_alerts_atom"),
    path("feeds/alerts/<str:region>.json", feeds.region_alerts_feed, {"fmt": "json"}, name="region_alerts_json"),
    path("help/overdose/", views.overdose_help, name="overdose"),
    path("help/good-samaritan/", views.good_samaritan, name="good_samaritan"),
    path("help/offline-sw.js", views.offline_worker, name="offline_worker"),
    path("about/", views.about, name="about"),
    path("services/", views.service_list, name="services"),
    path("services/suggest/", views.service_suggest, name="service_suggest"),
    path("services/review/", views.service_review, name="service_review"),
    path("services/review/<id:suggestion_id>/", views.suggestion_decide, name="suggestion_decide"),
    path("services/<id:entry_id>/correct/", views.service_correct, name="service_correct"),
    path("services/<id:entry_id>/verify/", views.service_verify, name="service_verify"),
]
