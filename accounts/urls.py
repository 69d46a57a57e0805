from django.urls import path

from accounts import views, views_sso

app_name = "accounts"

urlpatterns = [
    path("two-factor/", views.verify, name="verify"),
    path("two-factor/setup/", views.enrol, name="enrol"),
    path("security/", views.security, name="security"),
    path("security/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("security/turn-off/", views.turn_off, name="turn-off"),
    path("province-login/", views_sso.start, name="sso-start"),
    path("province-login/callback/", views_sso.callback, name="sso-callback"),
]
