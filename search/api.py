"""``GET /api/v1/search/``: ranked results and facet counts under the access policy."""

from django.utils.html import escape
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from neaspec_portal import params
from search import selectors


class SearchResultSerializer(serializers.Serializer):
    type = serializers.CharField(source="kind")
    id = serializers.SerializerMethodField()
    title = serializers.CharField()
    snippet = serializers.SerializerMethodField(
        help_text="HTML: escaped text with the matched words in <mark> elements."
    )
    year = serializers.IntegerField(allow_null=True)
    language = serializers.CharField(help_text="The document's language code, if known.")
    cross_language = serializers.SerializerMethodField(
        help_text="True when the document was found across languages: not by the query's "
        "words, but by its meaning or by the names of its species and sites."
    )
    found_by = serializers.SerializerMethodField(
        help_text='How the document was found: "words", "meaning", "names".'
    )
    countries = serializers.ListField(child=serializers.CharField())
    species = serializers.ListField(child=serializers.CharField())
    url = serializers.SerializerMethodField()

    def get_id(self, document) -> int:
        return document.dataset_id or document.publication_id or document.event_id

    def get_snippet(self, document) -> str:
        return getattr(document, "snippet", "") or escape(document.summary[:300])

    def get_cross_language(self, document) -> bool:
        return bool(getattr(document, "cross_language", False))

    def get_found_by(self, document) -> list[str]:
        return list(getattr(document, "found_by", ["words"]))

    def get_url(self, document) -> str:
        return selectors.document_url(document)


QUERY_PARAMETERS = params.openapi([*selectors.SEARCH_QUERY, *selectors.SEARCH_FILTERS])


class SearchView(APIView):
    """Search publications, presentations, events and datasets the caller may see."""

    @extend_schema(
        parameters=QUERY_PARAMETERS,
        responses=inline_serializer(
            "SearchResponse",
            {
                "query": serializers.CharField(),
                "query_language": serializers.CharField(
                    help_text="The language the query was read in when searched across "
                    'languages ("" otherwise).'
                ),
                "count": serializers.IntegerField(),
                "count_is_lower_bound": serializers.BooleanField(
                    help_text="True when more documents match than were counted (the first "
                    "300, titles first); facets then count those 300."
                ),
                "page": serializers.IntegerField(),
                "results": SearchResultSerializer(many=True),
                "facets": serializers.DictField(
                    child=serializers.ListField(child=serializers.DictField())
                ),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        values = params.read(request.query_params, selectors.SEARCH_QUERY, strict=True)
        filters = selectors.SearchFilters.from_params(request.query_params, strict=True)
        page = values["page"]
        results = selectors.search(
            user=request.user,
            query=values["q"],
            filters=filters,
            sort=values["sort"],
            page=page,
            cross_language=values["cross_language"],
        )
        return Response(
            {
                "query": results.query,
                "query_language": results.language,
                "count": results.shown_total,
                "count_is_lower_bound": results.capped,
                "page": page,
                "results": SearchResultSerializer(results.documents, many=True).data,
                "facets": {
                    name: [{"value": value, "count": count} for value, count in values]
                    for name, values in results.facets.items()
                },
            }
        )
