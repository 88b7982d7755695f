"""Bounds on the lists a request may carry, checked before the database sees them.

A dataset sent with 200,000 species codes once took 275 seconds of lookups and was then
created. Every list a service takes (species, sites, co-owners, authors...) has a limit;
the page's form field and the API's serializer field refuse a longer list with the same
message, before any code is looked up, and the service refuses it again for any other
caller (``check_lengths``).
"""

import functools
from collections.abc import Mapping, Sized
from typing import Any

from django import forms
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db.models import Model, OuterRef, QuerySet
from django.db.models.fields.related_descriptors import ManyToManyDescriptor
from django.utils.translation import gettext as _
from rest_framework import serializers

from neaspec_portal.kept_sql import KeptExpression


def too_many(values: Sized, limit: int) -> str | None:
    """Return why a list of ``len(values)`` items is refused, or None when within ``limit``.

    The one wording of this refusal, for every list of every page, API and service.
    """
    if len(values) > limit:
        return _("Give at most %(limit)d (%(count)d were sent).") % {
            "limit": limit,
            "count": len(values),
        }
    return None


def check_lengths(fields: Mapping[str, Any], limits: Mapping[str, int]) -> None:
    """Refuse, by field, every list of ``fields`` longer than its limit in ``limits``."""
    errors = {
        name: [message]
        for name, limit in limits.items()
        if isinstance(fields.get(name), Sized) and (message := too_many(fields[name], limit))
    }
    if errors:
        raise ValidationError(errors)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A page's multiple choice that refuses more than ``max_items`` values unread."""

    def __init__(self, *args: Any, max_items: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_items = max_items

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple) and (message := too_many(value, self.max_items)):
            raise ValidationError(message, code="too_many")
        return super().clean(value)


#: Where ``codes_subquery``'s annotation is read from: ``<relation>_codes``.
CODES_ATTR = "{}_codes"


def codes_subquery(relation: ManyToManyDescriptor, *, slug: str = "code") -> ArraySubquery:
    """Return the codes (``slug``) of ``relation``'s rows, in their model's order, as an
    array column of the row: annotated as ``CODES_ATTR``, a ``codes`` field reads it.

    A list of 50 rows with five tag relations otherwise costs five more queries and
    Django's related managers and querysets, one per row and relation (500 in all), which
    was most of a dataset list's time in the API.
    """
    field = relation.field
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    tagged: type[Model] = field.remote_field.model  # type: ignore[assignment]
    order = [
        f"-{target}__{name[1:]}" if name.startswith("-") else f"{target}__{name}"
        for name in tagged._meta.ordering or ()
    ]
    rows = relation.through._default_manager.filter(**{source: OuterRef("pk")})
    return ArraySubquery(rows.order_by(*order, f"{target}__pk").values(f"{target}__{slug}"))


def with_codes(queryset: QuerySet, **relations: str) -> QuerySet:
    """Return ``queryset`` annotated with the codes of each of ``relations`` (relation name
    to its slug field), for the ``codes`` fields of a list (see ``codes_subquery``); their
    SQL is compiled once per process (``kept_sql``)."""
    model = queryset.model
    return queryset.annotate(
        **{
            CODES_ATTR.format(name): KeptExpression(
                ("codes", model._meta.label, name, slug),
                model,
                functools.partial(codes_subquery, getattr(model, name), slug=slug),
            )
            for name, slug in relations.items()
        }
    )


class BoundedManyRelatedField(serializers.ManyRelatedField):
    """The API's list of codes, refused unread beyond ``max_items``, then looked up in one
    query (DRF looks up each code on its own). Read from the row's array of codes when the
    selector annotated one (``with_codes``)."""

    child_relation: serializers.SlugRelatedField

    def __init__(self, *args: Any, max_items: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_items = max_items

    def get_attribute(self, instance: Any) -> Any:
        codes = getattr(instance, CODES_ATTR.format(self.source), None)
        return super().get_attribute(instance) if codes is None else codes

    def to_representation(self, iterable: Any) -> list:
        if isinstance(iterable, list):  # the annotated codes themselves
            return iterable
        return super().to_representation(iterable)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, list | tuple):
            return super().to_internal_value(data)  # DRF's refusal of a non-list
        if message := too_many(data, self.max_items):
            raise serializers.ValidationError(message)
        if not self.allow_empty and not data:
            self.fail("empty")
        child = self.child_relation
        slug = child.slug_field
        if not all(isinstance(value, str | int) for value in data):
            return super().to_internal_value(data)  # DRF names the invalid item
        try:
            rows = list(child.get_queryset().filter(**{f"{slug}__in": {str(v) for v in data}}))
        except (TypeError, ValueError):  # e.g. a word where the codes are numbers
            child.fail("invalid")
        found = {str(getattr(obj, slug)): obj for obj in rows}
        for value in data:
            if str(value) not in found:
                child.fail("does_not_exist", slug_name=slug, value=value)
        return [found[str(value)] for value in data]


def codes(queryset: Any, *, max_items: int, slug: str = "code") -> BoundedManyRelatedField:
    """Return an API field taking a list of at most ``max_items`` codes of ``queryset``."""
    child = serializers.SlugRelatedField(slug_field=slug, queryset=queryset)
    return BoundedManyRelatedField(child_relation=child, max_items=max_items, required=False)
