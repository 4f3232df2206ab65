from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from apps.core import urls as core_urls
from apps.core import views as core_views
from apps.core.schema import CachedSpectacularAPIView
from apps.pegawai import views as pegawai_views

# The API docs bundles (Swagger UI, Redoc) inject <style> elements and Redoc searches in a blob:
# worker; their scripts are files ("split" Swagger view), so script-src stays 'self'.
API_DOCS_CSP = csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})

urlpatterns = [
    path("", pegawai_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("akun/", include("apps.akun.urls")),
    path("pegawai/", include("apps.pegawai.urls")),
    path("standar-kinerja/", include("apps.standar_kinerja.urls")),
    path("penilaian/", include("apps.penilaian.urls")),
    path("sertifikasi/", include("apps.sertifikasi.urls")),
    path("pelatihan/", include("apps.pelatihan.urls")),
    path("karier/", include("apps.karier.urls")),
    path("audit/", include("apps.core.urls")),
    path("impor/", include((core_urls.import_urlpatterns, "impor"))),
    path("api/v1/", include("asnkarier.api")),
    path("api/v1/schema/", CachedSpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", API_DOCS_CSP(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
    path("api/v1/redoc/", API_DOCS_CSP(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
    path("admin/", admin.site.urls),
]

# Under /api/ these answer JSON, like every other API error.
handler400 = "apps.core.api.bad_request_view"
handler404 = "apps.core.api.not_found"
