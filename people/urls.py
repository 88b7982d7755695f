"""Pages of people: the expert directory and public profiles, mounted at /people/."""

from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/", views.my_profile, name="me"),
    path("<int:pk>/", views.profile_detail, name="detail"),
]
