"""Communes, memberships, invitations and partnerships."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.policies import may
from portal.ratelimit import ratelimit
from portal.responses import confirmation_page, confirmed, error_text

from .. import services
from ..forms import (
    InvitationForm,
    MembershipRequestForm,
)
from ..models import (
    Commune,
    CommuneMembership,
    MembershipRequest,
)
from ..selectors import communes_visible_to, partnerships_visible_to

# --- Communes and partnerships -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit("membership-request", limit=10, period=3600)
def commune_list(request):
    """The user's communes, their pending requests, and a form to ask to join a commune."""
    form = MembershipRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_membership(
                user=request.user,
                commune=form.cleaned_data["commune"],
                function=form.cleaned_data["function"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your request has been sent. You will get an email when it is confirmed."),
            )
            return redirect("partnerships:commune-list")
    memberships = CommuneMembership.objects.filter(user=request.user).select_related("commune")
    pending = MembershipRequest.objects.filter(
        user=request.user, status=MembershipRequest.Status.PENDING
    ).select_related("commune")
    return render(
        request,
        "partnerships/commune_list.html",
        {"memberships": memberships, "pending": pending, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def commune_detail(request, pk):
    commune = get_object_or_404(communes_visible_to(request.user), pk=pk)
    is_member = may(request.user, "partnerships.read_members", commune)
    context = {
        "commune": commune,
        "is_member": is_member,
        "may_decide_requests": may(request.user, "partnerships.decide_membership", commune),
        "partnerships": _partnerships_of(commune, request.user),
        "member_communes": commune.members.all(),
    }
    if is_member:
        context["memberships"] = commune.memberships.select_related("user")
        context["contact_persons"] = commune.contact_persons.all()
        context["requests"] = commune.membership_requests.filter(
            status=MembershipRequest.Status.PENDING
        ).select_related("user")
        context["invitations"] = commune.invitations.filter(accepted_at__isnull=True)
    if may(request.user, "partnerships.invite", commune):
        context["invitation_form"] = InvitationForm(
            communes=Commune.objects.filter(pk=commune.pk), initial={"commune": commune.pk}
        )
    return render(request, "partnerships/commune_detail.html", context)


def _partnerships_of(commune, user):
    return (
        partnerships_visible_to(user)
        .filter(Q(german_commune=commune) | Q(partner_communes=commune))
        .distinct()
        .select_related("german_commune")
        .prefetch_related("partner_communes")
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_request_decide(request, pk, decision):
    """Confirm a request to join a commune with one click; refuse it after a page that asks,
    since the refusal is sent at once and cannot be taken back."""
    membership_request = get_object_or_404(
        MembershipRequest.objects.filter(
            commune__in=communes_visible_to(request.user)
        ).select_related("commune", "user"),
        pk=pk,
    )
    action = {
        "confirm": services.confirm_membership_request,
        "refuse": services.refuse_membership_request,
    }.get(decision)
    commune = membership_request.commune
    if action is None or not may(request.user, "partnerships.decide_membership", commune):
        raise Http404
    if decision == "refuse" and not confirmed(request):
        if membership_request.status != MembershipRequest.Status.PENDING:
            messages.error(request, _("This request has already been decided."))
            return redirect(commune)
        return confirmation_page(
            request,
            title=_("Refuse the request of %(name)s?")
            % {"name": membership_request.user.get_full_name() or membership_request.user},
            consequences=[
                _("%(name)s is told by email that the request to join %(commune)s was refused.")
                % {"name": membership_request.user.get_full_name(), "commune": commune.name},
            ],
            confirm_label=_("Refuse the request"),
            cancel_url=commune.get_absolute_url(),
        )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        decided = action(membership_request=membership_request, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        names = {
            "name": decided.user.get_full_name(),
            "email": decided.user.email,
            "commune": decided.commune.name,
        }
        if decided.status == MembershipRequest.Status.CONFIRMED:
            text = _("%(name)s (%(email)s) is now a member of %(commune)s and has been told.")
        else:
            text = _(
                "You refused the request of %(name)s (%(email)s) to join %(commune)s; "
                "they have been told."
            )
        messages.success(request, text % names)
    return redirect(membership_request.commune)


@login_required
@require_POST
@ratelimit("invitation", limit=20, period=3600)
def invite(request, pk):
    commune = get_object_or_404(communes_visible_to(request.user), pk=pk)
    if not may(request.user, "partnerships.invite", commune):
        raise Http404
    form = InvitationForm(request.POST, communes=Commune.objects.filter(pk=commune.pk))
    if form.is_valid():
        try:
            services.invite(
                commune=commune,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                language=form.cleaned_data["language"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("The invitation has been sent to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect(commune)
    return render(
        request, "partnerships/invite.html", {"commune": commune, "form": form}, status=400
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    try:
        invitation = services.invitation_to_accept(token=token)
    except ValidationError as exc:
        return render(
            request, "partnerships/invitation_accept.html", {"error": error_text(exc)}, status=410
        )
    if invitation is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            services.accept_invitation(invitation=invitation, user=request.user)
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(
                request,
                _("You are now a member of %(commune)s.") % {"commune": invitation.commune.name},
            )
            return redirect(invitation.commune)
    else:
        try:
            services.check_invitation(invitation=invitation, user=request.user)
        except ValidationError as exc:
            error = error_text(exc)
    return render(
        request,
        "partnerships/invitation_accept.html",
        {"invitation": invitation, "error": error},
        status=400 if error and request.method == "POST" else 200,
    )


@login_required
@require_GET
def partnership_list(request):
    partnerships = (
        partnerships_visible_to(request.user)
        .select_related("german_commune")
        .prefetch_related("partner_communes", "themes")
        .order_by("name")
    )
    return render(request, "partnerships/partnership_list.html", {"partnerships": partnerships})


@login_required
@require_GET
def partnership_detail(request, pk):
    partnership = get_object_or_404(
        partnerships_visible_to(request.user)
        .select_related("german_commune")
        .prefetch_related("partner_communes", "themes"),
        pk=pk,
    )
    return render(request, "partnerships/partnership_detail.html", {"partnership": partnership})


# --- Expressions of interest ---------------------------------------------------------------------
