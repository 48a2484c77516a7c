from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .actor import actor_for
from .models import Membership, User
from .services import user_password_changed


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fk_name = "user"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "is_active", "is_platform_admin"]
    fieldsets = BaseUserAdmin.fieldsets + (("Hamkke", {"fields": ["display_name", "is_platform_admin"]}),)

    def user_change_password(self, request, id, form_url=""):
        """An admin setting a user's password ends that user's other credentials too (API tokens)."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            user_password_changed(actor=actor_for(request.user), user=user, request=request)
        return response
