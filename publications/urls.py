from django.urls import path

from publications import views

app_name = "publications"

urlpatterns = [
    path("", views.publication_list, name="list"),
    path("new/", views.publication_create, name="create"),
    path("review/", views.review_queue, name="review_queue"),
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("<int:pk>/review/", views.publication_review, name="review"),
    path("<int:pk>/cite/<str:style>/", views.publication_cite, name="cite"),
    path("events/", views.event_list, name="event_list"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
]
