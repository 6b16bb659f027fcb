"""App configuration: register the system checks and settings listener (no I/O)."""

from __future__ import annotations

from django.apps import AppConfig

__all__ = ["PyotDjangoConfig"]


class PyotDjangoConfig(AppConfig):
    name = "pyot_django"
    verbose_name = "Pyot"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks as django_checks
        from django.core.signals import setting_changed

        from . import checks  # noqa: F401  (registers the checks)
        from .devserver import check_emulator
        from .pipeline import pipelines

        def _settings_changed(*, setting: str, **_: object) -> None:
            if setting in ("PYOT", "CACHES"):
                pipelines.reset()

        django_checks.register(check_emulator, "pyot_django")
        self._settings_listener = _settings_changed
        setting_changed.connect(_settings_changed, dispatch_uid="pyot_django.pipelines")
