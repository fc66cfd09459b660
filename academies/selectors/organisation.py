"""Reads for academies and their members, always scoped to the user."""

from django.db.models import CharField, OuterRef, Subquery, Value

from stemnet.roles import has_staff_powers

from ..models import Academy, Invitation, MemberRole, Membership

CURRENT_ACADEMY_SESSION_KEY = "current_academy_id"


def academies_for_user(user):
    """The academies a user may see: all for staff, their own for members, none otherwise."""
    qs = Academy.objects.select_related("municipality")
    if has_staff_powers(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(memberships__user=user)


def with_member_role(academies, user):
    """``academies`` annotated with ``member_role``: the user's role in each (None where
    they are not a member), in the same query."""
    if not user.is_authenticated:
        return academies.annotate(member_role=Value(None, output_field=CharField()))
    role = Membership.objects.filter(user=user, academy=OuterRef("pk")).values("role")[:1]
    return academies.annotate(member_role=Subquery(role))


def memberships_of(user):
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("academy").order_by("academy__name")


def open_invitations_for(user):
    """Invitations waiting for one of the user's verified addresses: someone who signed up
    after being invited finds them on their start page, even without the link at hand."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    from allauth.account.models import EmailAddress

    emails = EmailAddress.objects.filter(user=user, verified=True).values("email")
    return (
        Invitation.objects.filter(accepted_at__isnull=True, email__in=emails)
        .exclude(academy__memberships__user=user)
        .select_related("academy")
        .order_by("created_at", "id")
    )


def is_academy_admin(user, academy) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, academy=academy, role=MemberRole.ADMIN).exists()
    )


def current_academy(request, memberships=None):
    """The academy the user is working for: the one chosen in the session, else their first.
    ``memberships``: the user's (``memberships_of``, as a list) when the caller has them."""
    if memberships is None:
        memberships = list(memberships_of(request.user))
    chosen = request.session.get(CURRENT_ACADEMY_SESSION_KEY)
    for membership in memberships:
        if chosen and membership.academy_id == chosen:
            return membership.academy
    return memberships[0].academy if memberships else None


def admin_emails(academy) -> list[str]:
    """The e-mail addresses of the academy's admins (they receive its letters)."""
    return admin_emails_of([academy.pk]).get(academy.pk, [])


def admin_emails_of(academy_ids) -> dict[int, list[str]]:
    """``admin_emails`` of several academies in one query: academy id -> addresses."""
    emails: dict[int, list[str]] = {}
    for academy_id, email in Membership.objects.filter(
        academy__in=list(academy_ids), role=MemberRole.ADMIN
    ).values_list("academy_id", "user__email"):
        emails.setdefault(academy_id, []).append(email)
    return emails


def academies_by_id(ids) -> dict:
    """Academies by primary key, for pages that list results of other apps."""
    return Academy.objects.in_bulk(list(ids))


def academy_names(ids) -> dict[int, str]:
    """Academy id -> name, for lists that show no more of them."""
    return dict(Academy.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


def contact_name(academy) -> str:
    """Whom to address at the academy: its first admin who gave a name ("" when none did)."""
    return contact_names([academy.pk]).get(academy.pk, "")


def contact_names(academy_ids) -> dict[int, str]:
    """``contact_name`` of several academies in one query: academy id -> name, for the
    academies that have one."""
    names: dict[int, str] = {}
    for academy_id, first, last in (
        Membership.objects.filter(academy__in=list(academy_ids), role=MemberRole.ADMIN)
        .order_by("joined_at", "pk")
        .values_list("academy_id", "user__first_name", "user__last_name")
    ):
        if academy_id not in names and (name := f"{first} {last}".strip()):
            names[academy_id] = name
    return names
