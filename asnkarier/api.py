"""The /api/v1/ router: every app registers its viewsets here."""

from rest_framework.routers import DefaultRouter

from apps.pegawai import api as pegawai_api

router = DefaultRouter()
pegawai_api.register(router)

urlpatterns = router.urls
