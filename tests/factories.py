"""factory_boy factories for the cast of users every test uses."""

import factory
from django.utils import timezone

from accounts.models import AccountStatus, FocalPoint, User
from tests.two_factor import give_authenticator

PASSWORD = "a-Long-test-passw0rd"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    country_id = "KR"
    status = AccountStatus.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(PASSWORD)


class FocalPointFactory(UserFactory):
    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def appointment(user, create, extracted, **kwargs):
        if create:
            FocalPoint.objects.get_or_create(user=user, country_id=user.country_id)

    @factory.post_generation
    def authenticator(user, create, extracted, **kwargs):
        # Focal points must sign in with a second factor; pass authenticator=False for one
        # that has not set it up yet.
        if create and extracted is not False:
            give_authenticator(user)


class DatasetFactory(factory.django.DjangoModelFactory):
    """A published, country-level camera-trap dataset of researcher A's country by default."""

    class Meta:
        model = "datasets.Dataset"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Camera-trap survey {n}")
    method = "camera_traps"
    licence = "CC-BY-4.0"
    access_level = "country"
    status = "published"
    owner_country_id = factory.LazyAttribute(lambda dataset: dataset.uploader.country_id)
    uploader = factory.SubFactory(UserFactory)
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def co_owners(dataset, create, extracted, **kwargs):
        if create and extracted:
            dataset.co_owner_countries.set(extracted)


class DataFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "datasets.DataFile"

    dataset = factory.SubFactory(DatasetFactory)
    original_name = "stations.csv"
    file = factory.django.FileField(
        filename="stations.csv", data=b"station,lat,lon\nA,43.1,131.2\n"
    )
    size = 29
    uploaded_by = factory.LazyAttribute(lambda data_file: data_file.dataset.uploader)
