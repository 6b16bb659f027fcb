"""``pipelines``: the pipelines of ``settings.PYOT``, built on first use.

Building does no I/O (stores connect lazily), so the registry may be built from
``AppConfig.ready()``; it is dropped and rebuilt when ``PYOT`` or ``CACHES``
change, which is what makes ``override_settings(PYOT=...)`` work in tests.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import Any

from ..conf import config_problems, get_config, iter_pipeline_specs
from ..exceptions import ImproperlyConfiguredPipeline
from ..riot.http import mask_keys
from ..stores.base import StoreContext
from .core import Pipeline

__all__ = ["PipelineRegistry", "build_pipelines", "pipelines"]


def build_pipelines(config: Any = None) -> dict[str, Pipeline]:
    """Build every pipeline of ``config`` (default ``settings.PYOT``); raise on the first error."""
    config = get_config() if config is None else mask_keys(config)
    errors = [problem for problem in config_problems(config) if problem.check_id.startswith("E")]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more problem(s); run manage.py check)" if len(errors) > 1 else ""
        raise ImproperlyConfiguredPipeline(f"{first.key}: {first.message} {first.hint}{more}")
    built: dict[str, Pipeline] = {}
    for name, specs, _ in iter_pipeline_specs(config):
        assert specs is not None
        game = name.lower()
        stores = [
            spec.cls(spec.options, StoreContext(pipeline=game, game=game, index=spec.index, path=spec.path))
            for spec in specs
        ]
        built[game] = Pipeline(game, stores)
    return built


class PipelineRegistry(Mapping[str, Pipeline]):
    """Lazy mapping of pipeline name (lower case) → ``Pipeline``."""

    def __init__(self) -> None:
        self._pipelines: dict[str, Pipeline] | None = None
        self._lock = threading.Lock()

    def _all(self) -> dict[str, Pipeline]:
        pipelines = self._pipelines
        if pipelines is None:
            with self._lock:
                pipelines = self._pipelines
                if pipelines is None:
                    pipelines = self._pipelines = build_pipelines()
        return pipelines

    def __getitem__(self, name: str) -> Pipeline:
        try:
            return self._all()[name.lower()]
        except KeyError:
            configured = ", ".join(sorted(self._all())) or "none"
            raise KeyError(f"no pipeline {name!r} in settings.PYOT (configured: {configured})") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def reset(self) -> None:
        """Forget the built pipelines; the next access rebuilds them from settings."""
        with self._lock:
            self._pipelines = None


pipelines = PipelineRegistry()
