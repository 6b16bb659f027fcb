"""``path("pyot/", include("pyot_django.observe.urls"))`` → ``/pyot/metrics`` (name ``pyot-metrics``)."""

from django.urls import path

from .views import metrics_view

app_name = "pyot_observe"
urlpatterns = [path("metrics", metrics_view, name="pyot-metrics")]
