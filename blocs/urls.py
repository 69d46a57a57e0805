from django.urls import path

import common.converters  # noqa: F401 - registers the id, year and code converters
from blocs import views, views_deadlines, views_people, views_reorganisation

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
    # People and their accounts, for the council's admins (docs/accounts.md)
    path("councils/<code:code>/people/", views_people.people, name="people"),
    path("councils/<code:code>/people/new/", views_people.person_new, name="person-new"),
    path("councils/<code:code>/people/upload/", views_people.people_upload, name="people-upload"),
    path(
        "councils/<code:code>/people/upload/preview/",
        views_people.people_upload_preview,
        name="people-upload-preview",
    ),
    path(
        "councils/<code:code>/people/upload/template.xlsx",
        views_people.people_upload_template,
        name="people-upload-template",
    ),
    path("councils/<code:code>/people/<id:user_id>/", views_people.person, name="person"),
    path(
        "councils/<code:code>/people/<id:user_id>/deactivate/",
        views_people.person_deactivate,
        name="person-deactivate",
    ),
    path(
        "councils/<code:code>/people/<id:user_id>/reactivate/",
        views_people.person_reactivate,
        name="person-reactivate",
    ),
    path(
        "councils/<code:code>/people/<id:user_id>/password-link/",
        views_people.person_password_link,
        name="person-password-link",
    ),
    path("blocs/<id:bloc_id>/", views.bloc, name="bloc"),
    path(
        "blocs/<id:bloc_id>/<year:year>/deadlines/",
        views_deadlines.deadlines_edit,
        name="deadlines",
    ),
]
