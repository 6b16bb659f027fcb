"""The admin: a "Pipelines" page (inspect, clear, expire, look up and delete tokens) and cached entries.

``Pipeline`` is an unmanaged placeholder model; ``PipelineAdmin`` replaces its
URLs with the page's own views (like django-rq). Permissions:
``pyot_django.view_pipeline`` sees the page read-only, ``operate_pipeline`` may
act, superusers may do everything; everybody else gets the admin login (not
staff) or 403 (staff without either permission).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import formats, timezone
from django.utils.html import format_html

from . import admin_views
from .models import Pipeline, PyotEntry

__all__ = ["ExpiredFilter", "PipelineAdmin", "PyotEntryAdmin"]

VIEW_PERMISSION = "pyot_django.view_pipeline"
OPERATE_PERMISSION = "pyot_django.operate_pipeline"

if TYPE_CHECKING:  # django-stubs' ModelAdmin is generic; the runtime class is not subscriptable
    _PipelineAdminBase = admin.ModelAdmin[Pipeline]
    _EntryAdminBase = admin.ModelAdmin[PyotEntry]
else:
    _PipelineAdminBase = _EntryAdminBase = admin.ModelAdmin


@admin.register(Pipeline)
class PipelineAdmin(_PipelineAdminBase):
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        return bool(
            user.is_active and user.is_staff and (user.has_perm(VIEW_PERMISSION) or user.has_perm(OPERATE_PERMISSION))
        )

    def has_operate_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and user.has_perm(OPERATE_PERMISSION))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    # The placeholder has no rows: nothing to add, change or delete through the ORM.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        # Only the page's own views: the default change/history URLs would query a table
        # that does not exist.
        wrap = self.admin_site.admin_view
        return [
            path("", wrap(self.changelist_view), name="pyot_django_pipeline_changelist"),
            path("lookup/", wrap(self.lookup_view), name="pyot_django_pipeline_lookup"),
            path("lookup/delete/", wrap(self.delete_token_view), name="pyot_django_pipeline_delete_token"),
            path("<str:name>/<str:action>/", wrap(self.action_view), name="pyot_django_pipeline_action"),
            path(
                "<str:name>/stores/<int:index>/<str:action>/",
                wrap(self.action_view),
                name="pyot_django_pipeline_store_action",
            ),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return admin_views.changelist_view(self, request)

    def lookup_view(self, request: HttpRequest) -> HttpResponse:
        return admin_views.lookup_view(self, request)

    def delete_token_view(self, request: HttpRequest) -> HttpResponse:
        return admin_views.delete_token_view(self, request)

    def action_view(self, request: HttpRequest, name: str, action: str, index: int | None = None) -> HttpResponse:
        return admin_views.action_view(self, request, name, action, index)


class ExpiredFilter(admin.SimpleListFilter):
    title = "expired"
    parameter_name = "expired"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Expired"), ("no", "Live")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(expires_at__lte=now)
        if self.value() == "no":
            return queryset.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        return queryset


def _short_datetime(value: Any) -> str:
    # A string, not a datetime: the changelist marks datetime cells "nowrap", and two of
    # them side by side push the last column (Expired) off a 1280 px page.
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


_PREVIEW_CHARS = 20_000  # a timeline is up to ~900 KB of JSON; the page shows the head
_KEY_CHARS = 16


@admin.register(PyotEntry)
class PyotEntryAdmin(_EntryAdminBase):
    """Read-only: rows are written by the DjangoORM store and removed by clear/expire."""

    # Pipeline and server share a column, so the list fits a 1280 px window beside the
    # admin's navigation and filters, Expired included.
    list_display = ("short_key", "where", "method", "stored", "expires", "expired")
    list_filter = ("pipeline", "method", "server", ExpiredFilter)
    search_fields = ("key",)
    date_hierarchy = "stored_at"
    fields = ("pipeline", "server", "method", "key", "stored_at", "expires", "expired", "value_preview")
    readonly_fields = fields
    show_full_result_count = False  # COUNT(*) over a big cache table on every page is wasted work

    @admin.display(boolean=True)
    def expired(self, entry: PyotEntry) -> bool:
        return entry.is_expired

    @admin.display(description="expires at", ordering="expires_at")
    def expires(self, entry: PyotEntry) -> str:
        # "never", as the Pipelines page's lookup says, rather than the admin's empty "-".
        return _short_datetime(entry.expires_at) if entry.expires_at else "never"

    @admin.display(description="where", ordering="pipeline")  # pipeline · server
    def where(self, entry: PyotEntry) -> str:
        return f"{entry.pipeline} · {entry.server}"

    @admin.display(description="stored at", ordering="stored_at")
    def stored(self, entry: PyotEntry) -> str:
        return _short_datetime(entry.stored_at)

    @admin.display(description="key", ordering="key")
    def short_key(self, entry: PyotEntry) -> str:
        # A key is one long word (up to ~250 characters): shown whole it pushes the last
        # columns off the page. Its distinctive part is what follows the operation (the
        # parameters; pipeline, server and operation have columns of their own), so the
        # list shows the head of that and the full key on hover.
        key = entry.key
        _, sep, params = key.partition(f"{entry.method}:")
        shown = params if sep else key
        if len(shown) > _KEY_CHARS:
            shown = shown[:_KEY_CHARS] + "…"
        return format_html('<span title="{}">{}</span>', key, shown)

    @admin.display(description="value")
    def value_preview(self, entry: PyotEntry) -> str:
        text = json.dumps(entry.value, indent=2, ensure_ascii=False)
        if len(text) > _PREVIEW_CHARS:
            text = text[:_PREVIEW_CHARS] + f"\n… ({len(text) - _PREVIEW_CHARS} more characters)"
        return format_html("<pre>{}</pre>", text)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
