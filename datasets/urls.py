from django.urls import path

from datasets import downloads, my_access_views, usage_views, views

app_name = "datasets"

urlpatterns = [
    path("", views.dataset_list, name="list"),
    path("new/", views.dataset_create, name="create"),
    path("mine/", views.my_datasets, name="mine"),
    path("review/", views.review_queue, name="review_queue"),
    path("requests/", views.access_requests, name="access_requests"),
    path("requests/<int:pk>/decide/", views.access_request_decide, name="access_request_decide"),
    path("grants/", views.grants, name="grants"),
    path("my-access/", my_access_views.my_access, name="my_access"),
    path(
        "requests/<int:pk>/recommend/",
        my_access_views.access_request_recommend,
        name="access_request_recommend",
    ),
    path("<int:pk>/delegate-access/", my_access_views.delegate_access, name="delegate_access"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("audit/", views.audit_log, name="audit"),
    path("<int:pk>/", views.dataset_detail, name="detail"),
    path("<int:pk>/cite/<str:style>/", views.dataset_cite, name="cite"),
    path("<int:pk>/edit/", views.dataset_edit, name="edit"),
    path("<int:pk>/files/", views.dataset_files, name="files"),
    path("<int:pk>/files/states/", views.file_states, name="file_states"),
    path("<int:pk>/files/<int:file_pk>/delete/", views.file_delete, name="file_delete"),
    path("<int:pk>/submit/", views.dataset_submit, name="submit"),
    path("<int:pk>/review/", views.dataset_review, name="review"),
    path("<int:pk>/withdraw/", views.dataset_withdraw, name="withdraw"),
    path("<int:pk>/restore/", views.dataset_restore, name="restore"),
    path("<int:pk>/new-version/", views.dataset_new_version, name="new_version"),
    path("<int:pk>/delete/", views.dataset_delete, name="delete"),
    path("<int:pk>/request-access/", views.request_access, name="request_access"),
    path("files/<int:pk>/download/", downloads.download, name="download"),
    path("<int:pk>/archive/", downloads.archive, name="archive"),
    path("files/<int:pk>/thumbnail/", downloads.thumbnail, name="thumbnail"),
    path("usage/", usage_views.usage_summary, name="usage"),
]
