"""REST API of datasets."""

urlpatterns: list = []
