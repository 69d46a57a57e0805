from django.urls import path

import common.converters  # noqa: F401 - registers the id and year converters
from reports import views

app_name = "reports"

urlpatterns = [
    path("<id:bloc_id>/<year:year>/", views.documents, name="documents"),
    path("<id:bloc_id>/<year:year>/pack.zip", views.pack, name="pack"),
    path("documents/<id:document_id>/", views.document, name="document"),
    path("documents/<id:document_id>/preview/", views.preview, name="preview"),
    path("documents/<id:document_id>/issue/", views.issue, name="issue"),
    # docx or pdf; any other format is a 404.
    path("documents/<id:document_id>/<str:fmt>", views.download, name="download"),
]
