"""The access policy: the one place that decides who is who and who may see or do what.

Every surface (pages, API, downloads, search, maps, exports) asks these functions; none
decides on its own. A pending account is a visitor for every decision. ``access_*``
functions fetch and authorize at once and raise ``Http404`` for missing and forbidden
objects alike, so that a forbidden object cannot be told from a missing one.

Callers import the package (``from access import policy``) and call ``policy.<name>``;
the sections below are how it is written, not how it is used:

- ``roles``: verified accounts, focal points, the secretariat; who verifies accounts and
  who gives roles.
- ``datasets``: visible metadata, downloadable files, who edits a dataset.
- ``reviews``: four eyes on datasets: who decides for which country, who is asked.
- ``grants``: access requests and grants (the only writer of django-guardian permissions).
- ``versions``: versions of a dataset; who starts one and who deletes a draft.
- ``publications`` and ``events``: the library, its review, and event materials.
- ``search``: the index documents a user finds and whose file text they may match.
- ``occurrences``: locations, exact or in their public form.
- ``exports``: occurrences in Darwin Core terms, exact or generalized per requester.
- ``harvest``: what harvesters and search engines hear of (public items, withdrawn ones
  as deleted records).
- ``my_access``: a researcher's own requests and grants; the uploader's recommendations.
- ``previews``: the first rows of a dataset's tables, exact or in their public form.
- ``audit``: who reads the audit trail.
- ``people``: public profiles (opt-in), and whose profile an account edits.
- ``projects``: projects and networks, and what of their items a viewer sees.
- ``work``: what waits in the whole hub, by country, for the secretariat's "My work".
- ``usage``: who reads an item's views and downloads by country.
"""

from access.policy.audit import (
    can_read_audit,
    visible_audit_events,
)
from access.policy.datasets import (
    DOWNLOAD_PERMISSION,
    access_data_file,
    access_dataset,
    access_editable_dataset,
    can_download,
    can_download_file,
    can_edit_dataset,
    can_read_review_comments,
    downloadable_datasets,
    downloadable_files,
    find_collaborators,
    is_dataset_contributor,
    listed_datasets,
    visible_datasets,
)
from access.policy.events import (
    access_event,
    can_curate_events,
    listed_events,
    visible_events,
    visible_materials,
)
from access.policy.exports import (
    DWC_TERMS,
    dataset_urn,
    exports_exact,
    occurrence_rows,
    public_extent,
)
from access.policy.grants import (
    access_access_request,
    access_grant,
    access_request_answerers,
    access_requests_to_answer,
    can_manage_access,
    can_request_access,
    expire_grants,
    grant,
    managed_grants,
    next_grant_expiry,
    own_pending_request,
    revoke,
    series_root,
)
from access.policy.harvest import (
    harvested_datasets,
    harvested_events,
    harvested_publications,
)
from access.policy.my_access import (
    access_request_to_recommend,
    access_requests_to_recommend,
    can_delegate_access,
    own_access_requests,
    own_grants,
)
from access.policy.occurrences import (
    GRID_UNCERTAINTY_M,
    MAX_OCCURRENCES,
    OccurrenceFilters,
    filter_public,
    occurrence_datasets,
    occurrence_summaries,
    occurrences_for,
)
from access.policy.people import (
    access_profile,
    can_have_profile,
    own_profile,
    visible_profiles,
)
from access.policy.previews import PreviewRows, access_file_preview, preview_rows
from access.policy.projects import (
    access_editable_project,
    access_project,
    can_curate_projects,
    project_datasets,
    project_events,
    project_people,
    project_people_choices,
    project_publications,
    visible_projects,
)
from access.policy.publications import (
    access_publication,
    can_download_publication,
    can_edit_publication,
    can_read_publication_review,
    can_review_publication,
    can_review_publications,
    can_upload_publications,
    listed_publications,
    publication_reviewers,
    publications_to_review,
    visible_protocol_ids,
    visible_publications,
)
from access.policy.reviews import (
    can_review_datasets,
    dataset_deciders,
    datasets_to_review,
    review_countries,
    secretariat_decides_for,
)
from access.policy.roles import (
    Actor,
    access_account_to_verify,
    access_focal_point_appointment,
    access_role_account,
    account_verifiers,
    accounts_to_verify,
    can_manage_roles,
    can_review_accounts,
    focal_point_appointments,
    focal_point_countries,
    is_focal_point,
    is_member_state_researcher,
    is_secretariat,
    is_verified,
    role_accounts,
    secretariat_members,
)
from access.policy.search import (
    search_documents_key,
    visible_search_documents,
)
from access.policy.usage import (
    can_read_usage_detail,
    usage_detail_datasets,
    usage_detail_publications,
)
from access.policy.versions import (
    can_delete_draft,
    can_restore,
    can_start_version,
    can_withdraw,
    is_owner_side,
    series_versions,
)
from access.policy.work import pending_across_hub

__all__ = [
    "access_request_to_recommend",
    "access_requests_to_recommend",
    "can_delegate_access",
    "own_access_requests",
    "own_grants",
    "PreviewRows",
    "access_file_preview",
    "preview_rows",
    "Actor",
    "is_verified",
    "is_secretariat",
    "is_member_state_researcher",
    "focal_point_countries",
    "is_focal_point",
    "accounts_to_verify",
    "access_account_to_verify",
    "can_review_accounts",
    "can_manage_roles",
    "role_accounts",
    "access_role_account",
    "secretariat_members",
    "focal_point_appointments",
    "access_focal_point_appointment",
    "account_verifiers",
    "DOWNLOAD_PERMISSION",
    "visible_datasets",
    "downloadable_datasets",
    "listed_datasets",
    "access_dataset",
    "can_download",
    "access_data_file",
    "is_dataset_contributor",
    "find_collaborators",
    "can_download_file",
    "can_read_review_comments",
    "downloadable_files",
    "can_edit_dataset",
    "access_editable_dataset",
    "secretariat_decides_for",
    "can_review_datasets",
    "review_countries",
    "dataset_deciders",
    "datasets_to_review",
    "can_manage_access",
    "can_withdraw",
    "can_request_access",
    "access_requests_to_answer",
    "own_pending_request",
    "access_access_request",
    "managed_grants",
    "next_grant_expiry",
    "access_grant",
    "grant",
    "revoke",
    "expire_grants",
    "series_root",
    "is_owner_side",
    "can_start_version",
    "can_delete_draft",
    "can_restore",
    "series_versions",
    "access_request_answerers",
    "visible_protocol_ids",
    "visible_publications",
    "listed_publications",
    "access_publication",
    "can_download_publication",
    "can_review_publication",
    "can_read_publication_review",
    "can_review_publications",
    "publications_to_review",
    "can_edit_publication",
    "can_upload_publications",
    "publication_reviewers",
    "can_curate_events",
    "visible_materials",
    "access_event",
    "listed_events",
    "visible_events",
    "visible_search_documents",
    "can_read_usage_detail",
    "usage_detail_datasets",
    "usage_detail_publications",
    "search_documents_key",
    "GRID_UNCERTAINTY_M",
    "MAX_OCCURRENCES",
    "OccurrenceFilters",
    "occurrence_datasets",
    "occurrence_summaries",
    "filter_public",
    "occurrences_for",
    "can_read_audit",
    "visible_audit_events",
    "DWC_TERMS",
    "dataset_urn",
    "exports_exact",
    "occurrence_rows",
    "public_extent",
    "harvested_datasets",
    "harvested_events",
    "harvested_publications",
    "visible_profiles",
    "access_profile",
    "can_have_profile",
    "own_profile",
    "can_curate_projects",
    "visible_projects",
    "access_project",
    "access_editable_project",
    "project_datasets",
    "project_publications",
    "project_events",
    "project_people",
    "project_people_choices",
    "pending_across_hub",
]
