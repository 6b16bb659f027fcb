"""tests.settings with a PYOT that `manage.py check` must reject (used by test_checks)."""

from tests.settings import *  # noqa: F403

PYOT = {
    "lol": {
        "STORES": [
            {"BACKEND": "pyot_django.stores.DjangoCache", "ALIAS": "nope"},
            {"BACKEND": "tests.fakes.FakeService"},
        ]
    }
}
