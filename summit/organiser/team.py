"""The organiser's team page: members with their roles, open invitations, and the buttons
that invite, resend, withdraw, change a role and remove someone. Each change goes through
services/platform/team with the organiser as actor; a refusal shows next to its form."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..forms_common import show_error
from ..services.platform import team
from . import bp
from .team_forms import ActionForm, InviteForm, RoleForm


@bp.get("/team")
def team_page():
    return _team_page()


@bp.post("/team/invitations")
def team_invite():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation = team.invite(form.email.data, role=form.role.data,
                                     language=form.language.data, actor=current_user)
        except team.TeamError as exc:
            show_error(form, exc)
            return _team_page(invite_form=form, status=exc.status)
        flash(_("An invitation was sent to %(email)s.", email=invitation.email), "success")
        return redirect(url_for(".team_page"))
    return _team_page(invite_form=form, status=422)


@bp.post("/team/invitations/<int:invitation_id>/resend")
def team_resend(invitation_id: int):
    invitation = team.get_open_invitation(invitation_id)
    if not ActionForm().validate_on_submit():
        return _team_page(status=422)
    team.resend(invitation, actor=current_user)
    flash(_("The invitation to %(email)s was sent again with a new link; the old link no "
            "longer works.", email=invitation.email), "success")
    return redirect(url_for(".team_page"))


@bp.post("/team/invitations/<int:invitation_id>/withdraw")
def team_withdraw(invitation_id: int):
    invitation = team.get_open_invitation(invitation_id)
    if not ActionForm().validate_on_submit():
        return _team_page(status=422)
    team.withdraw(invitation, actor=current_user)
    flash(_("The invitation to %(email)s is withdrawn; its link no longer works.",
            email=invitation.email), "success")
    return redirect(url_for(".team_page"))


@bp.post("/team/members/<int:user_id>/role")
def team_role(user_id: int):
    member = team.get_member(user_id)
    form = RoleForm(prefix=f"m{member.id}")
    if form.validate_on_submit():
        try:
            changed = team.change_role(member, form.role.data, actor=current_user)
        except team.TeamError as exc:
            show_error(form, exc, fallback="role")
            return _team_page(role_forms={member.id: form}, status=exc.status)
        if changed:
            flash(_("%(name)s is now %(role)s.", name=member.name,
                    role=team.role_label(member.role)), "success")
        else:
            flash(_("Nothing was changed."), "info")
        return redirect(url_for(".team_page"))
    return _team_page(role_forms={member.id: form}, status=422)


@bp.post("/team/members/<int:user_id>/remove")
def team_remove(user_id: int):
    member = team.get_member(user_id)
    if ActionForm().validate_on_submit():
        try:
            team.remove(member, actor=current_user)
        except team.TeamError as exc:
            # The message belongs to this member's row: shown under their role form.
            role_form = RoleForm(prefix=f"m{member.id}", role=member.role, formdata=None)
            show_error(role_form, exc, fallback="role")
            return _team_page(role_forms={member.id: role_form}, status=exc.status)
        flash(_("%(name)s was removed from the team and can no longer log in.",
                name=member.name), "success")
        return redirect(url_for(".team_page"))
    return _team_page(status=422)


def _team_page(*, invite_form=None, role_forms=None, status=200):
    """The page; the forms given keep what was typed and their errors."""
    members = team.members()
    role_forms = {member.id: RoleForm(prefix=f"m{member.id}", role=member.role, formdata=None)
                  for member in members} | (role_forms or {})
    return render_template(
        "organiser/team.html", members=members, invitations=team.open_invitations(),
        invite_form=invite_form or InviteForm(formdata=None), role_forms=role_forms,
        role_label=team.role_label,
        expires_at=team.expires_at), status
