from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ExpertProfile


@admin.register(ExpertProfile)
class ExpertProfileAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "email", "country_of_residence", "consent_to_be_found"]
    list_filter = ["consent_to_be_found"]
    search_fields = ["full_name", "email"]
    autocomplete_fields = ["user"]
