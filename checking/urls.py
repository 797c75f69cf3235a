from django.urls import path

import commons.ids  # noqa: F401  (registers the <id:...> converter)
from checking import feeds, views

app_name = "checking"
urlpatterns = [
    path("results/", views.result_list, name="results"),
    path("results/<id:result_id>/", views.result_page, name="result"),
    path("results/new/", views.result_new, name="result_new"),
    path("results/upload/", views.results_upload, name="upload"),
    path("results/report/", views.sample_report_new, name="report"),
    path("results/reports/", views.sample_reports, name="reports"),
    path("results/reports/<id:report_id>/", views.sample_decide, name="report_decide"),
    path("results/checkers/", views.checkers, name="checkers"),
    path("feeds/results.atom", feeds.results_feed, {"fmt": "atom"}, name="results_atom"),
    path("feeds/results.json", feeds.results_feed, {"fmt": "json"}, name="results_json"),
]
urlpatterns.append(path("results/sample.csv", views.sample_csv, name="sample_csv"))
