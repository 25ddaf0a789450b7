"""Who may change the reference data: programme staff keep the eligible countries' flags, the
themes' order and the country table up to date; everyone on staff reads it."""

from portal import roles

MODELS = [
    "eligiblecountry",
    "theme",
    "sustainabledevelopmentgoal",
    "deploymenttype",
    "countrydeploymentrule",
]
_READ = roles.model_permissions("catalogue", MODELS, ("view",))
_EDIT = _READ | {
    "catalogue.add_eligiblecountry",
    "catalogue.change_eligiblecountry",
    "catalogue.change_theme",
    "catalogue.add_countrydeploymentrule",
    "catalogue.change_countrydeploymentrule",
}

# Admin permissions per staff role (portal.roles.grant, from apps.py).
ROLE_PERMISSIONS = {
    roles.SKEW: _EDIT,
    roles.GIZ: _EDIT,
    roles.COORDINATOR: _READ,
    roles.FINANCE: _READ,
}
