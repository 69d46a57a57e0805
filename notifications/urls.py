from django.urls import path

import common.converters  # noqa: F401 - registers the id and year converters
from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.read_all, name="read-all"),
    path("preferences/", views.preferences, name="preferences"),
    path("<id:notification_id>/open/", views.open_notification, name="open"),
    path("<id:notification_id>/read/", views.mark_read, name="read"),
]
