from django.urls import path

import common.converters  # noqa: F401 - registers the id, year and code converters
from blocs import views, views_deadlines, views_reorganisation

app_name = "blocs"

urlpatterns = [
    path("", views.home, name="home"),
    path("councils/<code:code>/", views.council, name="council"),
    path("councils/<code:code>/lineage/", views_reorganisation.lineage, name="council-lineage"),
    path(
        "councils/<code:code>/reorganisation/",
        views_reorganisation.reorganisation,
        name="reorganisation",
    ),
    path(
        "councils/<code:code>/reorganisation/<str:operation>/",
        views_reorganisation.reorganisation_form,
        name="reorganisation-form",
    ),
    path("blocs/<id:bloc_id>/", views.bloc, name="bloc"),
    path(
        "blocs/<id:bloc_id>/<year:year>/deadlines/",
        views_deadlines.deadlines_edit,
        name="deadlines",
    ),
]
