"""The portal's admin pages: rows of change lists that cost less to render
(``{% admin_result_rows cl %}``, see portal.admin_lists), their date hierarchy kept in the cache
(``{% admin_date_hierarchy cl %}``), the navigation sidebar kept per set
of rights (``{% portal_nav_sidebar %}``, see portal.admin_site) and change forms' fieldsets
written in Python (``{% admin_fieldset fieldset ... %}``, see portal.admin_forms)."""

from django import template
from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from portal.admin_forms import fieldset_html
from portal.admin_lists import date_hierarchy, list_filters, results_html
from portal.admin_site import PortalAdminSite

register = template.Library()


@register.simple_tag
def admin_result_rows(cl):
    return results_html(cl)


@register.simple_tag
def admin_list_filters(cl):
    return list_filters(cl)


@register.simple_tag
def admin_date_hierarchy(cl):
    return date_hierarchy(cl)


@register.simple_tag(takes_context=True)
def portal_nav_sidebar(context):
    if isinstance(admin.site, PortalAdminSite):
        return mark_safe(admin.site.nav_sidebar(context))
    return render_to_string("admin/nav_sidebar.html", context.flatten())


@register.simple_tag
def admin_fieldset(fieldset, heading_level=2, prefix="", id_prefix="", id_suffix=""):
    """What ``{% include "admin/includes/fieldset.html" with … %}`` renders, for the same
    arguments."""
    return fieldset_html(
        fieldset,
        heading_level=heading_level,
        prefix=prefix,
        id_prefix=id_prefix,
        id_suffix=id_suffix,
    )
