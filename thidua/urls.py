from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from thidua import views

admin.site.site_header = _("Thi đua – Quản trị")
admin.site.site_title = _("Thi đua")
admin.site.index_title = _("Quản trị dữ liệu")

urlpatterns = [
    path("units/<int:unit_id>/", views.unit, name="unit"),
    path("", include("blocs.urls")),
    path("blocs/<int:bloc_id>/<int:year>/", views.bloc_year, name="bloc-year"),
    path("scoring/", include("scoring.urls")),
    path("awards/", include("awards.urls")),
    path("reports/", include("reports.urls")),
    path("my-work/", views.my_work, name="my-work"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", set_language, name="set-language"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
