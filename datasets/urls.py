from django.urls import path

from datasets import downloads

app_name = "datasets"

urlpatterns = [
    path("files/<int:pk>/download/", downloads.download, name="download"),
]
