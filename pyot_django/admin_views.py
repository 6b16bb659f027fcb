"""The views behind the admin "Pipelines" page (wired up by ``PipelineAdmin.get_urls``).

Reading (the panels, token lookups) needs ``view_pipeline``; anything that
deletes data needs ``operate_pipeline``, confirms on GET, acts on POST (CSRF is
enforced by ``AdminSite.admin_view``), leaves a ``LogEntry`` and redirects with a
message. All work goes through :mod:`pyot_django.operations`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .admin_forms import TokenForm, catalogue_hints
from .exceptions import PyotError
from .operations import (
    InvalidStore,
    UnknownPipeline,
    delete_token,
    inspect_pipelines,
    lookup_token,
    resolve_pipelines,
    run_maintenance,
)
from .operations.results import Action
from .operations.selection import select_store

if TYPE_CHECKING:
    from .admin import PipelineAdmin

__all__ = ["action_view", "changelist_view", "delete_token_view", "lookup_view"]

_ACTIONS: dict[Action, tuple[str, str, str]] = {
    "clear": ("Clear", "Cleared", "remove every entry"),
    "expire": ("Expire", "Expired", "drop expired entries"),
}
_PREVIEW_CHARS = 20_000
_FORM_FIELDS = ("pipeline", "server", "method", "params", "queries")


def _context(admin: PipelineAdmin, request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    return {
        **admin.admin_site.each_context(request),
        "opts": admin.model._meta,
        "title": title,
        "can_operate": admin.has_operate_permission(request),
        "changelist_url": reverse("admin:pyot_django_pipeline_changelist"),
        **extra,
    }


def _require_view(admin: PipelineAdmin, request: HttpRequest) -> None:
    if not admin.has_view_permission(request):
        raise PermissionDenied


def _require_operate(admin: PipelineAdmin, request: HttpRequest) -> None:
    if not admin.has_operate_permission(request):
        raise PermissionDenied


def _log(request: HttpRequest, pipeline: str, message: str) -> None:
    from .models import Pipeline

    # The placeholder has no rows: the pipeline's name is the object id, which is
    # what an auditor reads in "Recent actions" and the LogEntry admin.
    user_pk = request.user.pk
    assert user_pk is not None  # only signed-in staff reach the admin's views
    LogEntry.objects.create(
        user_id=user_pk,
        content_type=ContentType.objects.get_for_model(Pipeline, for_concrete_model=False),
        object_id=pipeline,
        object_repr=f"pipeline {pipeline}",
        action_flag=CHANGE,
        change_message=message,
    )


def changelist_view(admin: PipelineAdmin, request: HttpRequest) -> HttpResponse:
    _require_view(admin, request)
    try:
        infos = inspect_pipelines()
        error = None
    except PyotError as exc:  # a broken PYOT setting: say so instead of a 500
        infos, error = [], str(exc)
    context = _context(
        admin,
        request,
        "Pipelines",
        pipelines=infos,
        config_error=error,
        form=TokenForm() if not error else None,
        hints=catalogue_hints() if not error else {},
        lookup_url=reverse("admin:pyot_django_pipeline_lookup"),
    )
    return TemplateResponse(request, "admin/pyot_django/pipelines.html", context)


def action_view(
    admin: PipelineAdmin, request: HttpRequest, name: str, action: str, index: int | None = None
) -> HttpResponse:
    _require_operate(admin, request)
    maintenance = next((known for known in _ACTIONS if known == action), None)
    if maintenance is None:
        raise Http404("unknown action")
    try:
        (pipeline,) = resolve_pipelines([name])
        store = None if index is None else select_store(pipeline, index)
    except (UnknownPipeline, InvalidStore) as exc:
        raise Http404(str(exc)) from exc
    verb, done, what = _ACTIONS[maintenance]
    target = f"pipeline {pipeline.model!r}" + ("" if store is None else f", store {index} ({store.name})")
    if request.method != "POST":
        return TemplateResponse(
            request,
            "admin/pyot_django/confirm.html",
            _context(
                admin,
                request,
                f"{verb} {target}?",
                question=f"{verb} {target}: {what}" + ("" if store else " of every cache store") + ".",
                button=f"Yes, {verb.lower()}",
                hidden={},
            ),
        )
    result = run_maintenance(maintenance, [pipeline.model], store=index)
    (outcome,) = result.pipelines
    summary = f"{done} {target}: {outcome.removed} entr{'y' if outcome.removed == 1 else 'ies'} removed."
    _log(request, pipeline.model, summary)
    if result.ok:
        admin.message_user(request, summary, messages.SUCCESS)
    else:
        admin.message_user(request, f"{summary} Failed: {'; '.join(result.errors)}", messages.ERROR)
    return HttpResponseRedirect(reverse("admin:pyot_django_pipeline_changelist"))


def lookup_view(admin: PipelineAdmin, request: HttpRequest) -> HttpResponse:
    _require_view(admin, request)
    bound = any(field in request.GET for field in _FORM_FIELDS)
    form = TokenForm(request.GET if bound else None)
    result = None
    if bound and form.is_valid():
        try:
            result = lookup_token(*form.lookup_args())
        except PyotError as exc:
            form.add_error(None, str(exc))
    delete_url = None
    if result is not None and result.found:
        delete_url = reverse("admin:pyot_django_pipeline_delete_token") + "?" + _form_query(form)
    context = _context(
        admin,
        request,
        "Look up a cached token",
        form=form,
        result=result,
        hints=catalogue_hints(),
        lookup_url=reverse("admin:pyot_django_pipeline_lookup"),
        delete_url=delete_url,
        value_json=_preview(result.value) if result is not None and result.found else "",
    )
    return TemplateResponse(request, "admin/pyot_django/lookup.html", context)


def _preview(value: Any) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    if len(text) > _PREVIEW_CHARS:  # a match timeline is up to ~900 KB
        text = text[:_PREVIEW_CHARS] + f"\n… ({len(text) - _PREVIEW_CHARS} more characters)"
    return text


def _form_query(form: TokenForm) -> str:
    return urlencode({field: form.data.get(field, "") for field in _FORM_FIELDS})


def delete_token_view(admin: PipelineAdmin, request: HttpRequest) -> HttpResponse:
    _require_operate(admin, request)
    data = request.POST if request.method == "POST" else request.GET
    form = TokenForm(data)
    if not form.is_valid():
        admin.message_user(request, "Invalid token: " + " ".join(map(str, form.non_field_errors())), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:pyot_django_pipeline_lookup"))
    key = form.cleaned_data["token"].stringify
    pipeline = form.cleaned_data["pipeline"]
    if request.method != "POST":
        return TemplateResponse(
            request,
            "admin/pyot_django/confirm.html",
            _context(
                admin,
                request,
                "Delete a cached token?",
                question=f"Delete {key} from every cache store of pipeline {pipeline!r}.",
                button="Yes, delete",
                hidden={field: form.data.get(field, "") for field in _FORM_FIELDS},
            ),
        )
    deletion = delete_token(*form.lookup_args())
    stores = ", ".join(str(index) for index in deletion.deleted_from) or "none (it was not cached)"
    summary = f"Deleted {key} from pipeline {pipeline!r}; stores: {stores}."
    _log(request, pipeline, summary)
    if deletion.errors:
        failed = "; ".join(f"store {index}: {error}" for index, error in deletion.errors.items())
        admin.message_user(request, f"{summary} Failed: {failed}", messages.ERROR)
    else:
        admin.message_user(request, summary, messages.SUCCESS)
    return HttpResponseRedirect(reverse("admin:pyot_django_pipeline_lookup") + "?" + _form_query(form))
