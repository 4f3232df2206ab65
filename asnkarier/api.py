"""The /api/v1/ router: every app registers its viewsets here."""

from rest_framework.routers import DefaultRouter

from apps.karier import api as karier_api
from apps.pegawai import api as pegawai_api
from apps.pelatihan import api as pelatihan_api
from apps.penilaian import api as penilaian_api
from apps.sertifikasi import api as sertifikasi_api
from apps.standar_kinerja import api as standar_kinerja_api

# A POST without the trailing slash must not hit APPEND_SLASH's redirect error.
router = DefaultRouter(trailing_slash="/?")
pegawai_api.register(router)
standar_kinerja_api.register(router)
penilaian_api.register(router)
sertifikasi_api.register(router)
pelatihan_api.register(router)
karier_api.register(router)

urlpatterns = router.urls
