"""Settings of the REST API: DRF's and drf-spectacular's, read by ``settings``.

They need nothing from the environment; kept apart so that the settings module stays short.
"""

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # DRF's own three, with JSON bodies limited in depth (neaspec_portal.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "neaspec_portal.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "neaspec_portal.params.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "neaspec_portal.api_errors.exception_handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "neaspec_portal.renderers.ContentNegotiation",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NEASPEC Knowledge Hub API",
    "DESCRIPTION": (
        "Publications, events and raw monitoring data on North-East Asia's flagship species. "
        "Every endpoint applies the portal's access policy; a forbidden object answers 404."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status" or a "decision": one named enum each, so that the
    # schema (and check --deploy) has no name collision.
    "ENUM_NAME_OVERRIDES": {
        "DatasetStatusEnum": "datasets.models.DatasetStatus",
        "DatasetDecisionEnum": "datasets.models.Decision",
        "ProjectKindEnum": "projects.models.ProjectKind",
        "DatasetLicenceEnum": "datasets.models.Licence",
        "PublicationLicenceEnum": "publications.models.PublicationLicence",
    },
    # Request bodies get components of their own ("DatasetRequest"), so that the schema can
    # say what only input must meet: a non-blank text is at least one character long.
    "COMPONENT_SPLIT_REQUEST": True,
    # drf-spectacular's own hook; the Idempotency-Key header that a middleware reads; then
    # the error answers every operation can give, documented once (neaspec_portal/schema.py),
    # which sees the header among the parameters that a 400 may be about.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "neaspec_portal.schema_idempotency.add_idempotency_key_header",
        "neaspec_portal.schema.document_errors",
    ],
}
