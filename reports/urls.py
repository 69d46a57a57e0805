from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("<int:bloc_id>/<int:year>/", views.documents, name="documents"),
    path("<int:bloc_id>/<int:year>/pack.zip", views.pack, name="pack"),
    path("documents/<int:document_id>/", views.document, name="document"),
    path("documents/<int:document_id>/preview/", views.preview, name="preview"),
    path("documents/<int:document_id>/issue/", views.issue, name="issue"),
    # docx or pdf; any other format is a 404.
    path("documents/<int:document_id>/<str:fmt>", views.download, name="download"),
]
