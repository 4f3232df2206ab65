from django.urls import path

from . import views, views_import

app_name = "core"

urlpatterns = [
    path("", views.audit_list, name="audit"),
]

# The import pages, mounted at /impor/ under the namespace "impor" (asnkarier/urls.py).
import_urlpatterns = [
    path("", views_import.index, name="index"),
    path("<int:pk>/", views_import.job_detail, name="job"),
    path("<int:pk>/status/", views_import.job_status, name="job_status"),
    path("<int:pk>/kesalahan.csv", views_import.job_errors_csv, name="job_errors_csv"),
    path("templat/<slug:kind>.xlsx", views_import.template_xlsx, name="template_xlsx"),
    path("templat/<slug:kind>/<slug:sheet>.csv", views_import.template_csv, name="template_csv"),
]
