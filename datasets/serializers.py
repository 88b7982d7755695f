"""What the datasets API reads and writes: serializers that shape input for the services.

No rule lives here: ``Dataset.clean`` and ``datasets.services`` hold them, for the pages
too; list lengths are bounded before any lookup (``neaspec_portal.bounds``).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from access import policy
from datasets.messages import FileReport, file_report, species_scientific_names
from datasets.models import (
    LIST_LIMITS,
    REASON_TEXT,
    SHORT_TEXT,
    DataFile,
    Dataset,
    Decision,
)
from datasets.protocols import MAX_PROTOCOLS
from neaspec_portal import bounds
from species.models import Country, KmgbfTarget, Site, Species, Theme


class DataFileSerializer(serializers.ModelSerializer):
    """A file and what processing says of it; cell values only to those who may download."""

    name = serializers.CharField(source="original_name")
    download_url = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()
    names = serializers.SerializerMethodField()

    class Meta:
        model = DataFile
        fields = [
            "id",
            "name",
            "size",
            "state",
            "error",
            "warnings",
            "problems",
            "names",
            "download_url",
        ]

    def _report(self, data_file) -> FileReport:
        report = getattr(data_file, "report", None)
        if report is None:
            dataset = self.context.get("dataset") or data_file.dataset
            with_values = bool(getattr(dataset, "can_download", False))
            if data_file.name_matches and "species_names" not in self.context:
                self.context["species_names"] = species_scientific_names()
            report = data_file.report = file_report(
                data_file,
                with_values=with_values,
                species_names=self.context.get("species_names", {}),
            )
        return report

    def get_error(self, data_file) -> str:
        return self._report(data_file).error

    def get_warnings(self, data_file) -> list[str]:
        return self._report(data_file).warnings

    def get_problems(self, data_file) -> list[str]:
        return self._report(data_file).problems

    def get_names(self, data_file) -> list[str]:
        return self._report(data_file).names

    def get_download_url(self, data_file) -> str | None:
        """Return the file's download address, or None when the caller may not fetch it."""
        dataset = self.context.get("dataset") or data_file.dataset
        if not policy.can_download_file(self.context["request"].user, dataset, data_file):
            return None
        return self.context["request"].build_absolute_uri(f"/api/v1/files/{data_file.pk}/download/")


class ProtocolIdsField(serializers.ListField):
    """The monitoring protocols a dataset follows, by publication id: written as given
    (``datasets.protocols`` checks them), read as those the caller may see."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
            max_length=MAX_PROTOCOLS,
            required=False,
            help_text="Ids of publications of type protocol that the data follows.",
            **kwargs,
        )

    def get_attribute(self, instance) -> list[int]:
        ids = getattr(instance, "visible_protocol_ids", None)  # a list's array column
        if ids is not None:
            return ids
        return [protocol.pk for protocol in getattr(instance, "visible_protocols", [])]


class DatasetSerializer(serializers.ModelSerializer):
    """A dataset as the API shows it, and the shape of its input: the rules are
    ``Dataset.clean`` and ``datasets.services``'."""

    owner_country = serializers.CharField(source="owner_country_id", read_only=True)
    co_owner_countries = bounds.codes(
        Country.objects.filter(is_member_state=True),
        max_items=LIST_LIMITS["co_owner_countries"],
    )
    species = bounds.codes(Species.objects.all(), max_items=LIST_LIMITS["species"])
    sites = bounds.codes(Site.objects.all(), max_items=LIST_LIMITS["sites"])
    protocols = ProtocolIdsField()
    targets = bounds.codes(
        KmgbfTarget.objects.all(), max_items=LIST_LIMITS["targets"], slug="number"
    )
    themes = bounds.codes(Theme.objects.all(), max_items=LIST_LIMITS["themes"])
    files = DataFileSerializer(many=True, read_only=True)
    can_download = serializers.BooleanField(read_only=True)
    uploader = serializers.CharField(source="uploader.username", read_only=True)

    class Meta:
        model = Dataset
        fields = [
            "id",
            "title",
            "title_en",
            "abstract",
            "method",
            "temporal_start",
            "temporal_end",
            "status",
            "access_level",
            "licence",
            "licence_terms",
            "citation",
            "doi",
            "contact_name",
            "contact_email",
            "owner_country",
            "co_owner_countries",
            "species",
            "sites",
            "protocols",
            "targets",
            "themes",
            "files",
            "can_download",
            "uploader",
            "created_at",
            "published_at",
            "version",
            "series",
            "change_note",
            "superseded_at",
        ]
        read_only_fields = [
            "status",
            "doi",
            "created_at",
            "published_at",
            "version",
            "series",
            "superseded_at",
        ]


class ReviewDecisionSerializer(serializers.Serializer):
    """One step of the review trail: which country decided what, and when.

    ``decider`` and ``comment`` are null for callers off the owner side (see
    ``access.policy.can_read_review_comments``); a decision without a comment has "".
    """

    country = serializers.CharField(source="country_id")
    decision = serializers.ChoiceField(choices=Decision.choices)
    review_round = serializers.IntegerField()
    at = serializers.DateTimeField()
    decider = serializers.SerializerMethodField()
    comment = serializers.SerializerMethodField()

    def get_decider(self, decision) -> str | None:
        return decision.decider.username if self.context["can_read_review_comments"] else None

    def get_comment(self, decision) -> str | None:
        return decision.comment if self.context["can_read_review_comments"] else None


class DatasetDetailSerializer(DatasetSerializer):
    """A dataset with its review trail; lists leave the trail out."""

    decisions = serializers.SerializerMethodField()

    class Meta(DatasetSerializer.Meta):
        fields = [*DatasetSerializer.Meta.fields, "decisions"]

    @extend_schema_field(ReviewDecisionSerializer(many=True))
    def get_decisions(self, dataset) -> list[dict]:
        readable = policy.can_read_review_comments(self.context["request"].user, dataset)
        context = {**self.context, "can_read_review_comments": readable}
        return ReviewDecisionSerializer(dataset.decisions.all(), many=True, context=context).data


class VersionSerializer(serializers.Serializer):
    """One version of a dataset's series, as its versions list shows it."""

    id = serializers.IntegerField()
    version = serializers.IntegerField()
    status = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    superseded_at = serializers.DateTimeField(allow_null=True)
    change_note = serializers.CharField()
    files = serializers.IntegerField(source="file_count")
    url = serializers.SerializerMethodField()

    def get_url(self, dataset) -> str:
        """Return the version's stable page address."""
        return self.context["request"].build_absolute_uri(dataset.get_absolute_url())


class VersionStartSerializer(serializers.Serializer):
    change_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=SHORT_TEXT
    )


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=SHORT_TEXT
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_TEXT)


class AccessRequestCreateSerializer(serializers.Serializer):
    purpose = serializers.CharField(max_length=SHORT_TEXT)
    intended_use = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=SHORT_TEXT
    )
    wanted_until = serializers.DateField()


class AccessRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    dataset = serializers.IntegerField(source="dataset_id")
    requester = serializers.CharField(source="requester.username")
    purpose = serializers.CharField()
    intended_use = serializers.CharField()
    wanted_until = serializers.DateField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class GrantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    dataset = serializers.IntegerField(source="dataset_id")
    user = serializers.CharField(source="user.username", allow_null=True, default=None)
    group = serializers.CharField(source="group.name", allow_null=True, default=None)
    granted_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class GrantUntilSerializer(serializers.Serializer):
    until = serializers.DateField(required=False)
