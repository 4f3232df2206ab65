from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from apps.core import views as core_views
from apps.pegawai import views as pegawai_views

urlpatterns = [
    path("", pegawai_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("akun/", include("apps.akun.urls")),
    path("pegawai/", include("apps.pegawai.urls")),
    path("standar-kinerja/", include("apps.standar_kinerja.urls")),
    path("penilaian/", include("apps.penilaian.urls")),
    path("sertifikasi/", include("apps.sertifikasi.urls")),
    path("api/v1/", include("asnkarier.api")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("admin/", admin.site.urls),
]
