"""``manage.py seed_demo``: demo accounts (password ``neaspec-demo``) for development.

The focal points and the secretariat sign in with a second factor: their authenticator app
holds ``DEMO_TOTP_SECRET``. The demo accounts and their devices are written directly, without
audit events: they are development fixtures, and the command refuses to run with ``DEBUG``
off unless forced. The roles they get and the reference data are recorded, with no actor.
"""

from base64 import b32decode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccountStatus, FocalPoint, User
from accounts.roles import focal_point_appoint, secretariat_appoint
from datasets.demo import seed_datasets, seed_usage_counts
from people.demo import seed_profiles
from programme.demo import seed_trainings
from projects.demo import seed_projects
from publications.demo import seed_library, seed_protocol_links
from species.models import Country
from species.services import reference_data_load

DEMO_PASSWORD = "neaspec-demo"
COUNTRIES = ["CN", "KP", "JP", "MN", "KR", "RU"]
#: The authenticator secret (base32) of the demo focal points and secretariat. Published in
#: the README so that anyone trying the demo can add it to an app: demo only.
DEMO_TOTP_SECRET = "NEASPECDEMOTOTPKEYFORDEMOONLY234"


class Command(BaseCommand):
    help = "Create the demo accounts (idempotent). Refuses when DEBUG is off unless --force."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off (never in production).",
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password; it runs only with "
                "DEBUG=1. Use --force if you really mean to seed this database."
            )
        with transaction.atomic():
            reference_data_load()
            accounts = seed_accounts()
            secretariat = next(user for user in accounts if user.username == "secretariat")
            library = seed_library(secretariat=secretariat)
            trainings = seed_trainings(secretariat=secretariat)
            new_datasets = seed_datasets()
            new_profiles = seed_profiles()
            new_projects = seed_projects(secretariat=secretariat)
            seed_protocol_links()
            seed_usage_counts()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo accounts ready ({len(accounts)}), password '{DEMO_PASSWORD}': "
                + ", ".join(sorted(account.username for account in accounts))
            )
        )
        self.stdout.write(
            f"Focal points and the secretariat give a code from an authenticator app holding "
            f"the demo secret {DEMO_TOTP_SECRET} (demo only)."
        )
        self.stdout.write(
            f"Library: {library['publications']} published publications, {library['events']} "
            f"event(s) ({library['participants']} participants at Incheon); "
            f"{new_datasets} new demo dataset(s)."
        )
        self.stdout.write(
            f"People and projects: {new_profiles} new public profile(s), "
            f"{new_projects} new project(s). "
            f"Capacity building: {trainings['trainings']} training(s), "
            f"{trainings['trainees']} trainees."
        )


def _account(username: str, *, country: str | None, status: str, **fields) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@example.org", "country_id": country, "status": status},
    )
    user.country_id = country
    user.status = status
    user.verified_at = user.verified_at or (
        timezone.now() if status == AccountStatus.VERIFIED else None
    )
    for name, value in fields.items():
        setattr(user, name, value)
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def seed_accounts() -> list[User]:
    """Create or refresh the demo cast: secretariat, six focal points, researchers, partner."""
    verified = AccountStatus.VERIFIED
    accounts = [
        _account(
            "secretariat",
            country=None,
            status=verified,
            organisation="ESCAP East and North-East Asia Office",
            first_name="Secretariat",
        )
    ]
    if not accounts[0].is_secretariat:
        # The service reads the row again; keep the appointed object in the cast.
        accounts[0] = secretariat_appoint(actor=None, user=accounts[0])
    for code in COUNTRIES:
        focal_point = _account(
            f"fp-{code.lower()}",
            country=code,
            status=verified,
            organisation=f"Ministry of Environment ({code})",
            first_name=f"Focal point {code}",
        )
        if not FocalPoint.objects.filter(user=focal_point, country_id=code).exists():
            focal_point_appoint(
                actor=None, user=focal_point, country=Country.objects.get(code=code)
            )
        accounts.append(focal_point)
        accounts.append(
            _account(
                f"researcher-{code.lower()}",
                country=code,
                status=verified,
                organisation=f"National conservation institute ({code})",
                first_name=f"Researcher {code}",
            )
        )
    accounts.append(
        _account(
            "partner",
            country=None,
            status=verified,
            organisation="East Asian-Australasian Flyway Partnership",
            first_name="Partner",
        )
    )
    accounts.append(
        _account(
            "pending-kr",
            country="KR",
            status=AccountStatus.PENDING,
            organisation="University field station",
            first_name="Pending",
        )
    )
    for account in accounts:
        if account.username == "secretariat" or account.username.startswith("fp-"):
            _demo_authenticator(account)
    return accounts


def _demo_authenticator(user: User) -> None:
    """Give ``user`` a confirmed authenticator holding the published ``DEMO_TOTP_SECRET``."""
    key = b32decode(DEMO_TOTP_SECRET).hex()
    if not TOTPDevice.objects.filter(user=user, confirmed=True, key=key).exists():
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(user=user, name="authenticator", key=key, confirmed=True)
