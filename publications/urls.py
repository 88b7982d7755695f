"""Pages of the library and of events, mounted at /library/."""

from django.urls import path

from publications import views

app_name = "publications"

urlpatterns = [
    path("", views.publication_list, name="list"),
    path("new/", views.publication_create, name="create"),
    path("mine/", views.my_publications, name="mine"),
    path("review/", views.review_queue, name="review_queue"),
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("<int:pk>/edit/", views.publication_edit, name="edit"),
    path("<int:pk>/files/", views.publication_files, name="files"),
    path("<int:pk>/files/states/", views.publication_file_states, name="file_states"),
    path("<int:pk>/review/", views.publication_review, name="review"),
    path("<int:pk>/featured/", views.publication_featured, name="featured"),
    path("<int:pk>/cite/<str:style>/", views.publication_cite, name="cite"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/sessions/", views.session_add, name="session_add"),
    path("events/<int:pk>/sessions/<int:session_pk>/", views.session_edit, name="session_edit"),
    path("events/<int:pk>/participants/", views.participants_edit, name="participants_edit"),
    path("events/<int:pk>/trainees/", views.trainees_edit, name="trainees_edit"),
    path("events/<int:pk>/materials/", views.material_add, name="material_add"),
    path("events/<int:pk>/materials/reorder/", views.materials_reorder, name="materials_reorder"),
    path("events/<int:pk>/publish/", views.event_publish, name="event_publish"),
    path(
        "events/<int:pk>/materials/<int:material_pk>/edit/",
        views.material_edit,
        name="material_edit",
    ),
    path(
        "events/<int:pk>/materials/<int:material_pk>/remove/",
        views.material_remove,
        name="material_remove",
    ),
]
