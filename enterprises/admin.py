"""Django's admin for the enterprises app, which Django looks for here.

Each package keeps its own admin module: ``registry.admin`` (enterprises, tier
history), ``profile.admin`` (its inlines, supply links, reported figures); the roster
has no admin (import jobs are their uploader's, on the roster page). The enterprise
page shows the registry's data with the profile's inlines: it is put together here,
where the packages meet, so the registry never imports the profile.
"""

from django.contrib import admin

from enterprises.profile.admin import PROFILE_INLINES
from enterprises.registry.admin import EnterpriseAdmin
from enterprises.registry.models import Enterprise


@admin.register(Enterprise)
class EnterpriseWithProfileAdmin(EnterpriseAdmin):
    inlines = (*EnterpriseAdmin.inlines, *PROFILE_INLINES)
