from django.contrib import admin

from .models import Agency, District, Dong


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(Dong)
class DongAdmin(admin.ModelAdmin):
    list_display = ["name", "district"]
    list_filter = ["district"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sector", "district", "rrn_allowed", "is_active"]
    list_filter = ["district", "kind", "sector"]
