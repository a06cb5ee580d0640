from django.contrib import admin
from django.urls import include, path

from fieldwork.offline import service_worker
from jingkai_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # The offline visit form's service worker, at the root so that its scope is the whole site.
    path("sw.js", service_worker, name="service_worker"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("jingkai_portal.api_urls")),
    path("grids/", include("grids.urls")),
    path("", include("enterprises.urls")),
    path("issues/", include("issues.urls")),
    path("fieldwork/", include("fieldwork.urls")),
    path("policies/", include("policies.urls")),
    path("policies/funding/", include("policies.funding.urls")),
    path("policies/trainings/", include("policies.trainings.urls")),
    path("platforms/financing/", include("platforms.financing.urls")),
    path("platforms/services/", include("platforms.service_projects.urls")),
    path("platforms/procurement/", include("platforms.procurement.urls")),
    path("platforms/labour/", include("platforms.labour.urls")),
    path("platforms/supply-chain/", include("platforms.supply_chain.urls")),
    path("platforms/space/", include("platforms.space.urls")),
    path("emergency/", include("emergency.urls")),
    path("analytics/", include("analytics.urls")),
    path("", include("common.urls")),
]

admin.site.site_header = "经开区网格化企业服务平台"
admin.site.site_title = "经开区网格化企业服务平台"
admin.site.index_title = "系统管理"
