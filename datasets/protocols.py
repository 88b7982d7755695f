"""Monitoring protocols a dataset follows: publications of type protocol in the library.

The link is ``publications.models.DatasetProtocol`` (``dataset.protocols``); the dataset
services set it, after ``followed_protocols`` has checked what the editor chose.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from access import policy
from publications.models import PublicationType

#: At most this many monitoring protocols per dataset.
MAX_PROTOCOLS = 10


def followed_protocols(*, actor: policy.Actor, fields: dict[str, Any]) -> None:
    """Turn ``fields["protocols"]`` (publications or their ids) into the protocols ``actor``
    may see, in place; refuse anything else (another type of publication, or one hidden
    from them) as a hidden one is refused: with the same message."""
    chosen = fields.get("protocols")
    if chosen is None:
        return
    ids = {getattr(item, "pk", item) for item in chosen}
    if len(ids) > MAX_PROTOCOLS:
        raise ValidationError(
            {"protocols": _("Choose at most %(count)d protocols.") % {"count": MAX_PROTOCOLS}}
        )
    found = list(
        policy.visible_publications(actor).filter(pk__in=ids, type=PublicationType.PROTOCOL)
    )
    if len(found) != len(ids):
        raise ValidationError(
            {
                "protocols": _(
                    "Choose monitoring protocols from the library: publications of type "
                    "protocol that you can see."
                )
            }
        )
    fields["protocols"] = found
