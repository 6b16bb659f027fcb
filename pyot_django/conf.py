"""Reading ``settings.PYOT``: lazily, validated, one place for every front-end.

``config_problems()`` lists what is wrong without building anything (system
checks report it); ``build_pipelines()`` builds the pipelines and raises
``ImproperlyConfiguredPipeline`` naming the exact setting key on the first error.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from .riot.http import mask_keys
from .stores.base import OptionProblem, ServiceStore, Store

__all__ = [
    "GAMES",
    "PIPELINE_KEYS",
    "Problem",
    "cache_settings",
    "config_problems",
    "get_config",
    "settings_problems",
    "store_class",
]

# Pipeline names are game models (the Riot API families they may call).
GAMES = ("lol", "tft", "lor", "val", "riot", "riftbound")

Problem = OptionProblem


def get_config() -> Any:
    """``settings.PYOT`` as configured (``{}`` when absent), its API keys masked; read at call time.

    The copy's ``API_KEY`` values are :class:`~pyot_django.riot.http.Secret`: no frame that checks
    or builds the pipelines holds a raw key for an error page to render.
    """
    return mask_keys(getattr(settings, "PYOT", {}))


def cache_settings() -> dict[str, dict[str, Any]]:
    """``settings.CACHES``, typed the same in every project.

    django-stubs types a setting by what the project's settings module assigns to it (a project's
    ``CACHES`` may read as ``dict[str, object]``), and this package is type-checked against
    whatever settings module a project names; the code that reads the setting goes through here.
    """
    configured: Any = settings.CACHES
    caches: dict[str, dict[str, Any]] = configured
    return caches


def store_class(backend: Any, path: str) -> tuple[type[Store] | None, Problem | None]:
    """Import a store ``BACKEND``; on failure, the problem to report."""
    key = f"{path}['BACKEND']"
    if not isinstance(backend, str):
        return None, Problem("E005", key, f"BACKEND must be a dotted path string, not {backend!r}.", _BACKEND_HINT)
    try:
        cls = import_string(backend)
    except ImportError as exc:
        return None, Problem("E005", key, f"BACKEND {backend!r} cannot be imported: {exc}.", _BACKEND_HINT)
    if not (isinstance(cls, type) and issubclass(cls, Store)) or cls in _ABSTRACT_STORES:
        return None, Problem("E006", key, f"BACKEND {backend!r} is not a pipeline store.", _BACKEND_HINT)
    return cls, None


_BACKEND_HINT = (
    "Use pyot_django.stores.Memory, .DjangoCache, .DjangoORM or .RiotAPI, "
    "or a subclass of pyot_django.stores.base.Store."
)


def _abstract_stores() -> tuple[type[Store], ...]:
    from .stores.base import CacheStore

    return (Store, CacheStore, ServiceStore)


_ABSTRACT_STORES = _abstract_stores()


@dataclass(frozen=True)
class StoreSpec:
    """A validated store entry: its class, options and setting path."""

    cls: type[Store]
    options: Mapping[str, Any]
    path: str
    index: int


def iter_pipeline_specs(config: Any) -> Iterator[tuple[str, list[StoreSpec] | None, list[Problem]]]:
    """For each pipeline: its name, its store specs (None when unusable) and its problems."""
    for name, pipeline in config.items():
        path = f"PYOT[{name!r}]"
        problems: list[Problem] = []
        if not isinstance(name, str) or name.lower() not in GAMES:
            problems.append(
                Problem(
                    "E002",
                    path,
                    f"Pipeline name {name!r} is not a game model.",
                    f"Name pipelines after the game they fetch: {', '.join(GAMES)}.",
                )
            )
            yield str(name), None, problems
            continue
        game = name.lower()
        if isinstance(pipeline, Mapping):
            problems.extend(_unknown_pipeline_keys(pipeline, path))
        stores = pipeline.get("STORES") if isinstance(pipeline, Mapping) else None
        if not isinstance(stores, (list, tuple)) or not stores:
            problems.append(
                Problem(
                    "E003",
                    f"{path}['STORES']",
                    f"Pipeline {name!r} has no stores.",
                    'Give it a non-empty list: {"STORES": [{"BACKEND": "pyot_django.stores.RiotAPI", ...}]}.',
                )
            )
            yield name, None, problems
            continue
        specs: list[StoreSpec] = []
        for index, options in enumerate(stores):
            store_path = f"{path}['STORES'][{index}]"
            if not isinstance(options, Mapping) or "BACKEND" not in options:
                problems.append(
                    Problem(
                        "E004",
                        store_path,
                        "A store needs a dict with a 'BACKEND' key.",
                        'e.g. {"BACKEND": "pyot_django.stores.Memory"}',
                    )
                )
                continue
            cls, problem = store_class(options["BACKEND"], store_path)
            if problem:
                problems.append(problem)
                continue
            assert cls is not None
            problems.extend(cls.option_problems(options, store_path, game))
            specs.append(StoreSpec(cls, options, store_path, index))
        problems.extend(_caches_after_service(specs, len(stores), name))
        if len(specs) == len(stores) and not any(issubclass(spec.cls, ServiceStore) for spec in specs):
            problems.append(
                Problem(
                    "W005",
                    f"{path}['STORES']",
                    f"Pipeline {name!r} has no service store: a token missing from every cache raises NotFound.",
                    "End the list with a service store, e.g. "
                    '{"BACKEND": "pyot_django.stores.RiotAPI", "API_KEY": ...}.',
                )
            )
        yield name, specs, problems


def _caches_after_service(specs: list[StoreSpec], entries: int, name: str) -> list[Problem]:
    """W001: the cache stores after the first service store, counted over the entries as written.

    Service stores may follow each other (RiotAPI, then the static-data stores: each passes on
    what it does not serve), so they are not counted; a broken entry is (its class is unknown,
    and once fixed it sits after the service store too), so the count matches the list a user reads.
    """
    first = next((spec for spec in specs if issubclass(spec.cls, ServiceStore)), None)
    if first is None:
        return []
    services_after = sum(1 for spec in specs if spec.index > first.index and issubclass(spec.cls, ServiceStore))
    caches_after = entries - first.index - 1 - services_after
    if not caches_after:
        return []
    return [
        Problem(
            "W001",
            first.path,
            f"Service store {first.cls.__name__} of {name!r} has {caches_after} cache store(s) after it "
            "(broken entries counted); they only see what it cannot serve and never keep what it fetches.",
            "Put the service stores (RiotAPI, DDragon, …) last: caches first, fastest first.",
        )
    ]


PIPELINE_KEYS = ("STORES",)


def _unknown_pipeline_keys(pipeline: Mapping[Any, Any], path: str) -> list[Problem]:
    from difflib import get_close_matches

    problems: list[Problem] = []
    for key in pipeline:
        if key in PIPELINE_KEYS:
            continue
        close = get_close_matches(str(key).upper(), PIPELINE_KEYS, n=1, cutoff=0.6)
        if close:
            hint = f"Did you mean {close[0]!r}?"
        elif str(key).upper() in _store_options():
            hint = f"{key!r} is a store option: put it in a store's entry, {path}['STORES'][i][{key!r}]."
        else:
            valid = ", ".join(map(repr, PIPELINE_KEYS))
            hint = f"A pipeline takes only {valid}; store options go in each store's entry."
        problems.append(Problem("E025", f"{path}[{key!r}]", f"Unknown pipeline setting {key!r}.", hint))
    return problems


def _store_options() -> frozenset[str]:
    """Options of the built-in stores, to point a misplaced one at its right place."""
    from . import stores

    return frozenset().union(*(getattr(stores, name).OPTIONS for name in stores.__all__))


def config_problems(config: Any = None) -> list[Problem]:
    """Everything wrong with ``settings.PYOT`` (or ``config``), without building it."""
    config = get_config() if config is None else config
    if not isinstance(config, Mapping):
        return [
            Problem(
                "E001",
                "PYOT",
                f"settings.PYOT must be a dict of pipeline name → settings, not {type(config).__name__}.",
                'e.g. PYOT = {"lol": {"STORES": [...]}}',
            )
        ]
    problems: list[Problem] = []
    for _name, _specs, pipeline_problems in iter_pipeline_specs(config):
        problems.extend(pipeline_problems)
    return problems


def settings_problems() -> list[Problem]:
    """Problems with the app's other settings (``PYOT_TASK_LOCK_CACHE``); they never block building."""
    problems: list[Problem] = []
    alias = getattr(settings, "PYOT_TASK_LOCK_CACHE", None)
    if alias is not None and (not isinstance(alias, str) or alias not in settings.CACHES):
        problems.append(
            Problem(
                "E026",
                "PYOT_TASK_LOCK_CACHE",
                f"PYOT_TASK_LOCK_CACHE {alias!r} is not an alias of settings.CACHES; "
                "the clear/expire tasks would fail with InvalidCacheBackendError.",
                f"Use one of: {', '.join(sorted(settings.CACHES)) or '(none)'} (a cache every worker shares).",
            )
        )
    return problems
