from django.urls import path

from safety import views

app_name = "safety"
urlpatterns = [
    path("alerts/", views.alert_list, name="alerts"),
]
