"""Templated emails, rendered in the recipient's language and sent after the commit."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_email(
    *, recipients: Iterable[Any], template: str, context: dict[str, Any]
) -> None:
    """Send ``templates/emails/<template>-subject.txt|-body.txt`` to each recipient on commit.

    Each recipient is an account; the message is rendered in their preferred language.
    """
    people = [person for person in recipients if person.email]

    def send() -> None:
        for person in people:
            language = person.preferred_language or settings.LANGUAGE_CODE
            with translation.override(language):
                full_context = {**context, "recipient": person, "site_url": settings.SITE_URL}
                subject = render_to_string(f"emails/{template}-subject.txt", full_context)
                body = render_to_string(f"emails/{template}-body.txt", full_context)
            EmailMultiAlternatives(
                subject=" ".join(subject.split()),
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[person.email],
            ).send()

    transaction.on_commit(send)
