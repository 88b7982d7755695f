"""What the library's API reads and writes: serializers that shape input for the services.

No rule lives here: ``Publication.clean`` (``publications.rules``) and
``publications.services`` hold them, for the pages too; lists are bounded before any
lookup (``neaspec_portal.bounds``).
"""

from rest_framework import serializers
from rest_framework.request import Request

from access import policy
from neaspec_portal import bounds
from neaspec_portal.schema import YearField, upload_files
from publications.models import Publication
from publications.rules import EARLIEST_YEAR, LIST_LIMITS, latest_year
from species.models import Country, KmgbfTarget, Site, Species, Theme


def _download_url(request: Request, data_file) -> str:
    return request.build_absolute_uri(f"/api/v1/files/{data_file.pk}/download/")


class PersonSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    affiliation = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Give the name.")
        return value.strip()


class PublicationFileSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="data_file.pk")
    name = serializers.CharField(source="data_file.original_name")
    size = serializers.IntegerField(source="data_file.size")
    state = serializers.CharField(source="data_file.state")
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, link) -> str | None:
        # A publication's own list gives no "publication": the link's row is its publication.
        publication = self.context.get("publication") or link.publication
        if not getattr(publication, "can_download", False):
            return None
        return _download_url(self.context["request"], link.data_file)


class PublicationSerializer(serializers.ModelSerializer):
    """A publication as the API shows it, and the shape of its input: the rules are
    ``Publication.clean`` and ``publications.services``'."""

    authors = PersonSerializer(many=True, required=False, max_length=LIST_LIMITS["authors"])
    year = YearField(earliest=EARLIEST_YEAR, latest=latest_year)  # Publication.clean checks it
    species = bounds.codes(Species.objects.all(), max_items=LIST_LIMITS["species"])
    sites = bounds.codes(Site.objects.all(), max_items=LIST_LIMITS["sites"])
    countries = bounds.codes(Country.objects.all(), max_items=LIST_LIMITS["countries"])
    targets = bounds.codes(
        KmgbfTarget.objects.all(), max_items=LIST_LIMITS["targets"], slug="number"
    )
    themes = bounds.codes(Theme.objects.all(), max_items=LIST_LIMITS["themes"])
    files = PublicationFileSerializer(many=True, read_only=True, source="links")
    review_comment = serializers.SerializerMethodField()
    can_download = serializers.BooleanField(read_only=True)
    confirm_duplicate = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Save even though the DOI is already in the library (else 409).",
    )

    class Meta:
        model = Publication
        fields = [
            "id",
            "title",
            "title_en",
            "abstract",
            "type",
            "year",
            "language",
            "doi",
            "url",
            "publisher",
            "institution",
            "licence",
            "visibility",
            "status",
            "authors",
            "species",
            "sites",
            "countries",
            "targets",
            "themes",
            "files",
            "can_download",
            "featured",
            "review_comment",
            "created_at",
            "published_at",
            "confirm_duplicate",
        ]
        read_only_fields = ["status", "featured", "created_at", "published_at"]

    def get_review_comment(self, publication) -> str | None:
        """Return the reviewer's comment to those it is written for; None to everyone else."""
        if policy.can_read_publication_review(self.context["request"].user, publication):
            return publication.review_comment
        return None

    def validate_authors(self, value: list) -> list:
        return [dict(author) for author in value]


class DuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    year = serializers.IntegerField()
    doi = serializers.CharField()


class DuplicatesFoundSerializer(serializers.Serializer):
    detail = serializers.CharField()
    duplicates = DuplicateSerializer(many=True)


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "return"])
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class PublicationFilesUploadSerializer(serializers.Serializer):
    file = upload_files()
