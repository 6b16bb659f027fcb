"""``DjangoORM``: cached Riot data as rows of a Django model.

One row per (pipeline, key), written with an upsert (``INSERT … ON CONFLICT``
through ``bulk_create(update_conflicts=True)``) so concurrent writers of one
token end with one row on SQLite and PostgreSQL alike.

The ``pipeline`` column holds the pipeline's name; ``key`` starts with the API key
identity (``<identity>:<token>``), so ``clear``/``expire``/``count`` act on this
pipeline *and* key only. A value the table cannot hold (``None``, larger than
``MAX_VALUE_SIZE``, a string PostgreSQL's jsonb rejects) is refused for that token
(``ValueRefused``), never a store failure.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import orjson
from asgiref.sync import sync_to_async
from django.apps import apps
from django.db import DataError, IntegrityError, connections, router
from django.utils import timezone

from ..exceptions import NotFound
from .base import CacheStore, OptionProblem, StoreContext, ValueRefused

if TYPE_CHECKING:
    import httpx
    from django.db.models import QuerySet

    from ..models import AbstractPyotEntry
    from ..pipeline.token import PipelineToken

__all__ = ["DjangoORM"]

# Django's async ORM runs queries the same way: in the thread that owns the connection.
_read_in_thread = sync_to_async(lambda read, key: read(key), thread_sensitive=True)

DEFAULT_MODEL = "pyot_django.PyotEntry"


def _column(model: type[AbstractPyotEntry], name: str) -> str:
    """The database column of one of the base model's fields (concrete fields: never None)."""
    from django.db.models import Field

    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return field.column


@functools.cache
def _select_sql(model: type[AbstractPyotEntry], alias: str) -> str:
    quote = connections[alias].ops.quote_name
    value, pipeline, key, expires_at = (
        quote(_column(model, name)) for name in ("value", "pipeline", "key", "expires_at")
    )
    return (
        f"SELECT {value} FROM {quote(model._meta.db_table)} WHERE {pipeline} = %s AND {key} = %s "
        f"AND ({expires_at} IS NULL OR {expires_at} > %s)"
    )


def _model_problem(label: Any) -> str | None:
    from ..models import AbstractPyotEntry

    if not isinstance(label, str) or label.count(".") != 1:
        return f"MODEL must be an 'app_label.ModelName' string, not {label!r}"
    try:
        model = apps.get_model(label)
    except LookupError:
        return f"model {label!r} is not installed"
    if not issubclass(model, AbstractPyotEntry) or model._meta.abstract:
        return f"model {label!r} is not a concrete subclass of pyot_django.models.AbstractPyotEntry"
    return None


class DjangoORM(CacheStore):
    """A pipeline store over a model (option ``MODEL``, default ``pyot_django.PyotEntry``)."""

    OPTIONS = CacheStore.OPTIONS | {"MODEL"}

    def __init__(self, options: Mapping[str, Any], context: StoreContext) -> None:
        super().__init__(options, context)
        self.model_label: str = options.get("MODEL", DEFAULT_MODEL)
        self._model: type[AbstractPyotEntry] | None = None
        self._key_prefix = ":"

    @classmethod
    def option_problems(cls, options: Mapping[str, Any], path: str, game: str) -> list[OptionProblem]:
        problems = super().option_problems(options, path, game)
        problem = _model_problem(options.get("MODEL", DEFAULT_MODEL))
        if problem:
            problems.append(
                OptionProblem(
                    "E012",
                    f"{path}['MODEL']",
                    problem[0].upper() + problem[1:] + ".",
                    "Subclass pyot_django.models.AbstractPyotEntry in an installed app and migrate.",
                )
            )
        return problems

    def _apply_namespace(self, namespace: str) -> None:
        # The pipeline column holds the pipeline's name; the key identity goes in the key.
        self._key_prefix = namespace.partition("@")[2] + ":"

    @property
    def model(self) -> type[AbstractPyotEntry]:
        model = self._model
        if model is None:
            model = self._model = apps.get_model(self.model_label)
        return model

    def key_for(self, token: PipelineToken) -> str:
        return self._key_prefix + token.stringify

    async def get(self, token: PipelineToken, session: httpx.AsyncClient | None = None) -> Any:
        value = await _read_in_thread(self._read, self._key_prefix + token.stringify)
        if value is None:
            raise NotFound
        return value

    def get_sync(self, token: PipelineToken) -> Any:
        value = self._read(self._key_prefix + token.stringify)
        if value is None:
            raise NotFound
        return value

    def _read(self, key: str) -> Any:
        # The hot path of a warm hit: one prepared SELECT of the JSON text, decoded with
        # orjson. Building a queryset per lookup costs more than the indexed read itself
        # (measured in bench/cache_path.py), and the expiry test runs in SQL.
        model = self.model
        connection = connections[router.db_for_read(model)]
        sql = _select_sql(model, connection.alias)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.context.pipeline, key, now])
            row = cursor.fetchone()
        if row is None:
            return None
        raw = row[0]
        return orjson.loads(raw) if isinstance(raw, (str, bytes)) else raw

    async def set(self, token: PipelineToken, value: Any) -> None:
        ttl = self.expirations.ttl(token.method)
        if ttl == 0:
            return
        if value is None:
            raise ValueRefused(f"{token.method}: None is not data; not stored", reason="None")
        if self.max_value_size is not None:
            self.encode_checked(token, value)  # sized as JSON; the backend stores it its own way
        now = timezone.now()
        model = self.model
        row = model(
            pipeline=self.context.pipeline,
            server=token.server,
            method=token.method,
            key=self._key_prefix + token.stringify,
            value=value,
            stored_at=now,
            expires_at=None if ttl < 0 else now + timedelta(seconds=ttl),
        )
        try:
            await model._base_manager.abulk_create(
                [row],
                update_conflicts=True,
                unique_fields=["pipeline", "key"],
                update_fields=["value", "stored_at", "expires_at", "server", "method"],
            )
        except (DataError, IntegrityError) as exc:
            # About this row's content (e.g. "\u0000" in a jsonb string), not the database:
            # an unreachable or unmigrated database raises OperationalError/ProgrammingError.
            raise ValueRefused(
                f"{token.method} value cannot be stored in {self.model_label}: {type(exc).__name__}", reason="database"
            ) from None

    async def delete(self, token: PipelineToken) -> bool:
        deleted, _ = await self.model._base_manager.filter(
            pipeline=self.context.pipeline, key=self._key_prefix + token.stringify
        ).adelete()
        return deleted > 0

    async def contains(self, token: PipelineToken) -> bool:
        return await self._live().filter(key=self._key_prefix + token.stringify).aexists()

    def _own(self) -> QuerySet[AbstractPyotEntry]:
        # This pipeline's rows under this API key only: another deployment using another
        # key on the same table keeps its rows through our clear() and expire().
        # The base manager: the model may name its managers as it likes (no ``objects``), and
        # a default manager that filters must not hide rows from the store that owns them.
        return self.model._base_manager.filter(pipeline=self.context.pipeline, key__startswith=self._key_prefix)

    def _live(self) -> QuerySet[AbstractPyotEntry]:
        from django.db.models import Q

        return self._own().filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))

    async def clear(self) -> int:
        return await self._delete_raw(self._own())

    async def expire(self) -> int:
        return await self._delete_raw(self._own().filter(expires_at__lte=timezone.now()))

    @staticmethod
    async def _delete_raw(queryset: QuerySet[AbstractPyotEntry]) -> int:
        # One DELETE statement: these rows have no relations or signals to honour, and
        # Model.delete()'s collector would load every row first.
        from asgiref.sync import sync_to_async

        return await sync_to_async(queryset._raw_delete, thread_sensitive=True)(queryset.db)

    async def count(self) -> int:
        return await self._own().acount()

    def count_sync(self) -> int:
        """``count`` for a thread without an event loop (the ``pyot_pipelines`` probe)."""
        return self._own().count()

    async def entry(self, token: PipelineToken) -> AbstractPyotEntry | None:
        """The row holding ``token`` (for operators: value, stored_at, expires_at)."""
        return await self.model._base_manager.filter(
            pipeline=self.context.pipeline, key=self._key_prefix + token.stringify
        ).afirst()

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info["model"] = self.model_label
        return info
