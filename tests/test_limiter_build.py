"""Building limiters from the RATE_LIMITER setting, and what a bad setting says."""

from __future__ import annotations

import pytest

from pyot_django.exceptions import ImproperlyConfiguredPipeline
from pyot_django.limiters import Limiter, MemoryLimiter, RedisLimiter, build_limiter

PATH = 'PYOT["lol"]["STORES"][3]["RATE_LIMITER"]'


def test_default_backend_is_memory() -> None:
    limiter = build_limiter(None, setting_path=PATH)
    assert isinstance(limiter, MemoryLimiter) and limiter.share == 1.0 and limiter.pacing == "burst"
    assert isinstance(build_limiter({"LIMITING_SHARE": 0.5, "PACING": "spread"}), MemoryLimiter)


def test_redis_backend_with_options() -> None:
    limiter = build_limiter({"BACKEND": "pyot_django.limiters.RedisLimiter", "LOCATION": "redis://127.0.0.1:6379/2",
                             "LIMITING_SHARE": 0.9, "PACING": "burst"}, setting_path=PATH)
    assert isinstance(limiter, RedisLimiter) and limiter.share == 0.9
    assert limiter.fallback.share == pytest.approx(0.9 * 0.25)


def test_options_are_declared() -> None:
    assert MemoryLimiter.OPTIONS == frozenset({"BACKEND", "LIMITING_SHARE", "PACING"})
    assert RedisLimiter.OPTIONS == MemoryLimiter.OPTIONS | {"LOCATION", "KEY_PREFIX", "FALLBACK_SHARE"}
    assert issubclass(RedisLimiter, Limiter)


@pytest.mark.parametrize(("options", "message"), [
    ({"LOCATION": "redis://x"}, "unknown option(s) LOCATION for MemoryLimiter; valid options: BACKEND, "
                                "LIMITING_SHARE, PACING"),
    ({"BACKEND": "pyot_django.limiters.Nope"}, '["BACKEND"]: cannot import'),
    ({"BACKEND": "pyot_django.exceptions.PyotError"}, "is not a pyot_django.limiters.Limiter"),
    ({"LIMITING_SHARE": 0}, "LIMITING_SHARE must be a number in (0, 1]"),
    ({"LIMITING_SHARE": 1.5}, "LIMITING_SHARE must be a number in (0, 1]"),
    ({"LIMITING_SHARE": "half"}, "LIMITING_SHARE must be a number in (0, 1]"),
    ({"PACING": "smooth"}, "PACING must be one of burst, spread"),
    ({"BACKEND": "pyot_django.limiters.RedisLimiter"}, "LOCATION is required"),
    ({"BACKEND": "pyot_django.limiters.RedisLimiter", "LOCATION": "redis://x", "FALLBACK_SHARE": 2},
     "FALLBACK_SHARE must be a number in (0, 1]"),
])
def test_bad_settings_name_the_setting(options: dict[str, object], message: str) -> None:
    with pytest.raises(ImproperlyConfiguredPipeline) as info:
        build_limiter(options, setting_path=PATH)
    assert str(info.value).startswith(PATH) and message in str(info.value)
