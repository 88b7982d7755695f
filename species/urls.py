from django.urls import path

from species import views

app_name = "species"

urlpatterns = [
    path("species/", views.species_index, name="species_list"),
    path("species/<slug:code>/", views.species_detail, name="species_detail"),
    path("sites/", views.site_index, name="site_list"),
    path("sites/<slug:code>/", views.site_detail, name="site_detail"),
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    path("targets/", views.target_index, name="target_list"),
    path("targets/<str:code>/", views.target_detail, name="target_detail"),
]
