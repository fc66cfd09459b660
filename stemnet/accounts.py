"""django-allauth hooks: mail through the worker, sign-up without an account-existence
signal, failed-login counting that a stranger cannot turn against an account's owner."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context as allauth_context
from allauth.core.internal.ratelimit import get_ip
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction

from .forms import SafeInputMixin
from .models import Message, MessageKind, MessageStatus
from .tasks import send_rendered_mail


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now (the context holds the request and model objects), send in the worker:
        SMTP's latency never shows in the response time, whichever mail a request triggers
        (verification for a new account, "you already have an account" for a known one)."""
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, full_context)
        alternatives = [
            [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ]
        # Logged without its text: account mails carry sign-in and password-reset links,
        # which no one but the recipient may see (and which staff therefore cannot re-send).
        logged = Message.objects.create(
            user=get_user_model().objects.filter(email__iexact=email).first(),
            to_email=email,
            kind=MessageKind.ACCOUNT,
            subject=str(message.subject)[:255],
            body="",
            status=MessageStatus.QUEUED,
        )
        kwargs = {
            "subject": message.subject,
            "body": message.body,
            "from_email": message.from_email,
            "to": list(message.to),
            "alternatives": alternatives,
            "message_id": logged.pk,
        }
        transaction.on_commit(lambda: send_rendered_mail.delay(**kwargs))

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """allauth counts failed logins per account ("key") to stop guessing; we count them
        per account *and client IP*, so a stranger who fails five times with someone's
        address blocks only their own IP for that account. Guessing across many accounts
        is bounded by the per-IP limits (settings.ACCOUNT_RATE_LIMITS)."""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{get_ip(request)}"


class SignupForm(SafeInputMixin, AllauthSignupForm):
    def try_save(self, request):
        """For an address that already has an account allauth creates nothing and mails the
        owner; a new account costs a password hash. Hash here too, so both answers take the
        same time and the sign-up form cannot be used to find out who has an account."""
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
