from django.urls import path

app_name = "helpnow"
urlpatterns: list = []
