"""The test client every test gets as ``client`` (see the root conftest)."""

from django.test import Client


class PortalClient(Client):
    """Django's test client, where ``force_login`` stands for a *completed* login: for an
    account with TOTP that includes the second factor, recorded in the session the way
    allauth records it. ``force_login(user, mfa=False)`` gives a session that skipped it
    (what the old admin login allowed), to prove such a session gets no staff powers."""

    def force_login(self, user, backend=None, *, mfa=None):
        super().force_login(user, backend)
        from allauth.mfa.models import Authenticator

        if mfa is None:
            mfa = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        if mfa:
            record_mfa_in_session(self, user)


def record_mfa_in_session(client, user) -> None:
    from allauth.account.internal.flows.login import record_authentication
    from django.http import HttpRequest

    request = HttpRequest()
    request.session = client.session
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()
