"""Pages of the programme's figures, mounted at the site's root."""

from django.urls import path

from programme import views

app_name = "programme"

urlpatterns = [
    path("capacity/", views.capacity, name="capacity"),
    path("participation/", views.participation, name="participation"),
]
