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

from .stores.base import OptionProblem, ServiceStore, Store

__all__ = ["GAMES", "Problem", "config_problems", "get_config", "store_class"]

# Pipeline names are game models (the Riot API families they may call).
GAMES = ("lol", "tft", "lor", "val", "riot", "riftbound")

Problem = OptionProblem


def get_config() -> Any:
    """``settings.PYOT`` as configured (``{}`` when absent); read at call time, never import time."""
    return getattr(settings, "PYOT", {})


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
        for position, spec in enumerate(specs[:-1]):
            # Service stores may follow each other (RiotAPI, then the static-data stores: each
            # passes on what it does not serve); a cache after one never sinks what it fetched.
            caches_after = [later for later in specs[position + 1 :] if not issubclass(later.cls, ServiceStore)]
            if issubclass(spec.cls, ServiceStore) and caches_after:
                problems.append(
                    Problem(
                        "W001",
                        spec.path,
                        f"Service store {spec.cls.__name__} comes before {len(caches_after)} cache store(s) of "
                        f"{name!r}; they only see what it cannot serve and never keep what it fetches.",
                        "Put the service stores (RiotAPI, DDragon, …) last: caches first, fastest first.",
                    )
                )
        yield name, specs, problems


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
