"""Who may see what of experts: profiles, their documents and the document access log. Ask with
``portal.policies.may(user, "experts.<rule>", obj)``; experts.selectors reads the same
predicates. README's role table lists every rule."""

import rules

from portal import roles
from portal.policies import acts_for_programme, has_role, is_active

# --- Admin permissions per staff role (portal.roles.grant, from apps.py) --------------------------
# Every staff role reads profiles and who opened their documents; case officers create and edit
# profiles for experts who have no account. Those who work with experts (not finance) export
# the profiles of the experts who may be found.
_READ = {"experts.view_expertprofile", "experts.view_documentaccess"}
_EXPORT = {"experts.export_expertprofile"}
ROLE_PERMISSIONS = {
    roles.SKEW: _READ | _EXPORT | {"experts.add_expertprofile", "experts.change_expertprofile"},
    roles.GIZ: _READ | _EXPORT | {"experts.add_expertprofile", "experts.change_expertprofile"},
    roles.COORDINATOR: _READ | _EXPORT,
    roles.FINANCE: _READ,
}

# Programme staff read every profile and document (all four staff roles hold the permission);
# case officers also create and edit profiles for experts who have no account.
reads_profiles = acts_for_programme("experts.view_expertprofile")
edits_profiles = acts_for_programme("experts.change_expertprofile")
is_expert = has_role(roles.EXPERT)


@rules.predicate
def owns_profile(user, profile) -> bool:
    return is_active(user) and profile.user_id == user.pk


rules.add_perm("experts.read_profile", reads_profiles | owns_profile)
rules.add_perm("experts.keep_own_profile", is_active)
rules.add_perm("experts.edit_profile_for_expert", edits_profiles)
