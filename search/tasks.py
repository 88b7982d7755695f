"""The worker's part of search: the vectors of documents, computed after they are indexed."""

from celery import shared_task
from django.db import OperationalError

from search import vectors


@shared_task(
    name="search.embed_search_documents",
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=5,
)
def embed_search_documents(document_ids: list[int]) -> int:
    """Compute and store the vectors of ``document_ids`` (``search.vectors``)."""
    return vectors.search_vectors_compute(document_ids=document_ids)
