"""Pages of the library (publications) and of events."""

from publications.views.events import (
    event_create,
    event_detail,
    event_edit,
    event_list,
    material_add,
    materials_reorder,
    participants_edit,
    session_add,
    session_edit,
)
from publications.views.library import (
    my_publications,
    publication_cite,
    publication_create,
    publication_detail,
    publication_edit,
    publication_featured,
    publication_file_states,
    publication_files,
    publication_list,
    publication_review,
    review_queue,
)

__all__ = [
    "event_create",
    "event_detail",
    "event_edit",
    "event_list",
    "material_add",
    "materials_reorder",
    "my_publications",
    "participants_edit",
    "publication_cite",
    "publication_create",
    "publication_detail",
    "publication_edit",
    "publication_featured",
    "publication_file_states",
    "publication_files",
    "publication_list",
    "publication_review",
    "review_queue",
    "session_add",
    "session_edit",
]
