from django.urls import path

from peers import views

app_name = "peers"
urlpatterns = [
    path("accounts/recovery-code/", views.recovery_code, name="recovery_code"),
    path("accounts/recover/", views.recover, name="recover"),
    path("u/<str:pseudonym>/", views.profile, name="profile"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/recovery-code/", views.new_recovery_code, name="new_recovery_code"),
    path("settings/time-zone/", views.time_zone, name="time_zone"),
    path("language/", views.language, name="language"),
    path("settings/export/", views.export_data, name="export"),
    path("settings/delete/", views.delete_account, name="delete"),
    path("shared-device/", views.shared_device, name="shared_device"),
]
