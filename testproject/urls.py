from django.contrib import admin
from django.urls import path

from . import views

urlpatterns = [
    path("", views.search, name="search"),
    path("players/<str:platform>/<str:game_name>/<str:tag_line>/", views.player, name="player"),
    path("matches/<str:region>/<str:match_id>/", views.match, name="match"),
    path("admin/", admin.site.urls),
]

handler404 = "testproject.handlers.not_found"
handler500 = "testproject.handlers.server_error"
