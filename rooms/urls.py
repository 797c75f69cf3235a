from django.urls import path

import commons.ids  # noqa: F401  (registers the <id:...> converter)
from rooms import views

app_name = "rooms"
urlpatterns = [
    path("rooms/", views.room_list, name="list"),
    path("rooms/new/", views.room_create, name="create"),
    path("rooms/<slug:slug>/", views.room, name="room"),
    path("rooms/<slug:slug>/edit/", views.room_edit, name="edit"),
    path("rooms/<slug:slug>/open/", views.room_open, name="open"),
    path("rooms/<slug:slug>/close/", views.room_close, name="close"),
    path("rooms/<slug:slug>/mute/", views.room_mute, name="mute"),
    path("rooms/<slug:slug>/unmute/", views.room_unmute, name="unmute"),
    path("rooms/<slug:slug>/remove-person/", views.room_remove_person, name="remove_person"),
    path("rooms/<slug:slug>/messages/<id:message_id>/remove/", views.message_remove, name="message_remove"),
]
