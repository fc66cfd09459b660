"""Pages of the message log: each user's own messages and preferences, staff's log with
filters and a re-send."""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from . import notifications
from .decorators import staff_required
from .forms import SafeInputMixin
from .models import Delivery, Message, MessageKind, MessageStatus

PAGE_SIZE = 50


class PreferencesForm(SafeInputMixin, forms.Form):
    """One choice per kind of message; an unswitchable kind offers no "off"."""

    def __init__(self, *args, initial=None, **kwargs):
        super().__init__(*args, initial=initial, **kwargs)
        for kind in notifications.SWITCHABLE:
            choices = [
                (value, label)
                for value, label in Delivery.choices
                if not (value == Delivery.OFF and kind in notifications.UNSWITCHABLE_OFF)
            ]
            help_text = (
                gettext_lazy(
                    "Toekenningsbrieven zijn beslissingen: uitschakelen kan niet, een "
                    "dagelijks overzicht wel."
                )
                if kind in notifications.UNSWITCHABLE_OFF
                else ""
            )
            self.fields[kind] = forms.ChoiceField(
                label=MessageKind(kind).label,
                choices=choices,
                widget=forms.RadioSelect,
                help_text=help_text,
            )


class LogFilterForm(SafeInputMixin, forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Soort"),
        choices=[("", gettext_lazy("Alle soorten"))] + MessageKind.choices,
        required=False,
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("Alle statussen"))] + MessageStatus.choices,
        required=False,
    )
    q = forms.CharField(
        label=gettext_lazy("Ontvanger of onderwerp"), required=False, max_length=100
    )
    day = forms.DateField(
        label=gettext_lazy("Dag"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@login_required
def preferences(request):
    """The user's own choice per kind: immediately, in a daily digest, or not at all."""
    current = notifications.preferences_for(request.user)
    form = PreferencesForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            notifications.set_preferences(actor=request.user, choices=form.cleaned_data)
        except notifications.NotificationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Uw berichtvoorkeuren zijn bewaard."))
            return redirect("notifications:preferences")
    return render(request, "stemnet/notifications/preferences.html", {"form": form})


@require_GET
@login_required
def mine(request):
    """The messages the portal sent (or kept back, by preference) to this user."""
    page = Paginator(
        notifications.for_user(request.user).only(
            "subject", "kind", "status", "created_at", "sent_at", "url", "object_label"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("pagina"))
    return render(request, "stemnet/notifications/mine.html", {"page": page})


@require_GET
@login_required
def detail(request, pk: int):
    """One message as it was sent: the recipient's own, or any for staff."""
    from .roles import has_staff_powers

    message = get_object_or_404(Message, pk=pk)
    if message.user_id != request.user.pk and not has_staff_powers(request.user):
        raise Http404
    return render(
        request,
        "stemnet/notifications/detail.html",
        {
            "message": message,
            "can_resend": notifications.can_resend(request.user, message).allowed,
        },
    )


@staff_required
@require_GET
def staff_log(request):
    """Every message the portal sent, newest first, with filters."""
    form = LogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = notifications.staff_log(
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
        q=filters.get("q", ""),
        day=filters.get("day"),
    ).only("to_email", "subject", "kind", "status", "created_at", "attempts", "error")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = urlencode(
        {
            k: v.isoformat() if isinstance(v, date) else v
            for k, v in filters.items()
            if v not in ("", None)
        }
    )
    return render(
        request,
        "stemnet/notifications/staff_log.html",
        {"form": form, "page": page, "query": query},
    )


@staff_required
def resend(request, pk: int):
    """Confirm, then send a logged message again."""
    message = get_object_or_404(Message, pk=pk)
    if request.method == "POST":
        try:
            notifications.resend(actor=request.user, message=message)
        except notifications.NotificationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Het bericht aan %(to)s wordt opnieuw verzonden.") % {"to": message.to_email},
            )
        return redirect("notifications_staff:log")
    return render(
        request,
        "stemnet/notifications/resend.html",
        {
            "message": message,
            "allowed": notifications.can_resend(request.user, message),
            "cancel_url": reverse("notifications_staff:log"),
        },
    )
