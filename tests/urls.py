from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("pyot/", include("pyot_django.observe.urls")),
]
