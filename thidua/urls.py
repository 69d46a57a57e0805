from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

import common.converters  # noqa: F401 - registers the id, year and code converters
from accounts import views as accounts_views
from blocs import views_password
from portal import dashboard, views, views_opendata, views_rollover, views_search

admin.site.site_header = _("Thi đua – Quản trị")
admin.site.site_title = _("Thi đua")
admin.site.index_title = _("Quản trị dữ liệu")

urlpatterns = [
    path("units/<id:unit_id>/", views.unit, name="unit"),
    path("", include("blocs.urls")),
    path("blocs/<id:bloc_id>/<year:year>/", views.bloc_year, name="bloc-year"),
    path("blocs/<id:bloc_id>/<year:year>/rollover/", views_rollover.rollover, name="rollover"),
    path("scoring/", include("scoring.urls")),
    path("awards/", include("awards.urls")),
    path("reports/", include("reports.urls")),
    path("notifications/", include("notifications.urls")),
    path("my-work/", views.my_work, name="my-work"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("search/", views_search.search, name="search"),
    # Open data: every public table as XLSX, CSV (for Excel, for programs) or JSON
    # (docs/open-data.md), and the page that explains the files
    path("open-data/", views_opendata.open_data, name="open-data"),
    path(
        "open-data/councils/<code:code>/<year:year>/blocs.<str:fmt>",
        views_opendata.council_blocs,
        name="open-data-council-blocs",
    ),
    path(
        "open-data/blocs/<id:bloc_id>/members.<str:fmt>",
        views_opendata.bloc_members,
        name="open-data-bloc-members",
    ),
    path(
        "open-data/blocs/<id:bloc_id>/<year:year>/members.<str:fmt>",
        views_opendata.bloc_year_members,
        name="open-data-bloc-year-members",
    ),
    path(
        "open-data/blocs/<id:bloc_id>/<year:year>/ranking.<str:fmt>",
        views_opendata.ranking,
        name="open-data-ranking",
    ),
    path(
        "open-data/blocs/<id:bloc_id>/<year:year>/awards.<str:fmt>",
        views_opendata.awards,
        name="open-data-awards",
    ),
    path(
        "open-data/units/<id:unit_id>/results.<str:fmt>",
        views_opendata.unit_results,
        name="open-data-unit-results",
    ),
    path(
        "open-data/units/<id:unit_id>/awards.<str:fmt>",
        views_opendata.unit_awards,
        name="open-data-unit-awards",
    ),
    path("login/", accounts_views.LoginView.as_view(), name="login"),
    # The second step of signing in, the account's security, the province's login.
    path("account/", include("accounts.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Passwords: Django's views with the project's forms and pages (blocs/views_password.py)
    path("password-reset/", views_password.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        views_password.PasswordResetDoneView.as_view(),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views_password.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        views_password.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("password/", views_password.PasswordChangeView.as_view(), name="password-change"),
    path(
        "password/changed/",
        views_password.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("language/", set_language, name="set-language"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
]
