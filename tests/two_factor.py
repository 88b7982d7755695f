"""Second factors in tests: authenticator devices, their codes, and a client that has them.

Focal points and the secretariat of the shared cast have a confirmed authenticator
(``TEST_TOTP_KEY``). ``SecondFactorClient.force_login`` also marks the session as having given
its code, as signing in through the pages would; ``client.login`` (password only) does not, so
that tests can see what an account without a code meets.
"""

import time

import django.test
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import LAST_ACTIVITY
from accounts.two_factor import SECOND_FACTOR_AT

#: The authenticator secret of the test cast, hex-encoded as django-otp stores it.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


def give_authenticator(user, key: str = TEST_TOTP_KEY) -> TOTPDevice:
    """Give ``user`` a confirmed authenticator with ``key`` (replacing any other)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", key=key, confirmed=True)


def totp_code(user, *, confirmed: bool = True) -> str:
    """Return a code the account's authenticator accepts now (one not used already).

    django-otp accepts each time step once, and one step either side of the clock: when the
    current step is used up, give the next one, or wait for it. ``confirmed=False`` reads the
    authenticator being set up.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=confirmed).latest("pk")
    now_t = int((time.time() - device.t0) // device.step)
    t = max(now_t, device.last_t + 1)
    while t > now_t + device.tolerance:
        time.sleep(1)
        now_t = int((time.time() - device.t0) // device.step)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    totp.time = device.t0 + t * device.step
    return f"{totp.token():0{device.digits}d}"


class SecondFactorClient(django.test.Client):
    """Django's test client whose ``force_login`` also gives the account's second factor."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session[SECOND_FACTOR_AT] = time.time()
            # As after the first request of a sign-in: the idle timer is running.
            session[LAST_ACTIVITY] = time.time()
            session.save()
