"""Bounds on the lists a request may carry, checked before the database sees them.

A dataset sent with 200,000 species codes once took 275 seconds of lookups and was then
created. Every list a service takes (species, sites, co-owners, authors...) has a limit;
the page's form field and the API's serializer field refuse a longer list with the same
message, before any code is looked up, and the service refuses it again for any other
caller (``check_lengths``).
"""

from collections.abc import Mapping, Sized
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers


def too_many_message(limit: int) -> str:
    """Return the refusal of a list longer than ``limit``."""
    return _("Choose at most %(limit)d.") % {"limit": limit}


def check_lengths(fields: Mapping[str, Any], limits: Mapping[str, int]) -> None:
    """Refuse, by field, every list of ``fields`` longer than its limit in ``limits``."""
    errors = {
        name: [too_many_message(limit)]
        for name, limit in limits.items()
        if isinstance(fields.get(name), Sized) and len(fields[name]) > limit
    }
    if errors:
        raise ValidationError(errors)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A page's multiple choice that refuses more than ``max_items`` values unread."""

    def __init__(self, *args: Any, max_items: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_items = max_items

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple) and len(value) > self.max_items:
            raise ValidationError(too_many_message(self.max_items), code="too_many")
        return super().clean(value)


class BoundedManyRelatedField(serializers.ManyRelatedField):
    """The API's list of codes, refused unread beyond ``max_items``, then looked up in one
    query (DRF looks up each code on its own)."""

    child_relation: serializers.SlugRelatedField

    def __init__(self, *args: Any, max_items: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_items = max_items

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, list | tuple):
            return super().to_internal_value(data)  # DRF's refusal of a non-list
        if len(data) > self.max_items:
            raise serializers.ValidationError(too_many_message(self.max_items))
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
