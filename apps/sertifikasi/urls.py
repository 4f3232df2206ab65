app_name = "sertifikasi"
urlpatterns = []
