from django.urls import path

from blocs import views

app_name = "blocs"

urlpatterns = [
    path("", views.home, name="home"),
    path("councils/<str:code>/", views.council, name="council"),
    path("blocs/<int:bloc_id>/", views.bloc, name="bloc"),
]
