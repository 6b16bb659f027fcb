"""The admin page's token form: pipeline, server and operation from the catalogue, params as text."""

from __future__ import annotations

from typing import Any, TypedDict

from django import forms

from .exceptions import PyotError
from .operations import configured_names, parse_pairs, resolve_pipelines

__all__ = ["ROUTE_GROUPS", "OperationHints", "TokenForm", "catalogue_hints", "default_lookup"]


# Routing kind → the server select's group label ("kr" is both a platform and a shard).
ROUTE_GROUPS = {"platform": "Platforms", "regional": "Regions", "val-platform": "VALORANT shards"}
# The first lookup a form offers, per game: an everyday operation and a server it routes to.
_DEFAULT_OPERATIONS = {
    "lol": "summoner-v4.getByPUUID",
    "tft": "tft-summoner-v1.getByPUUID",
    "lor": "lor-ranked-v1.getLeaderboards",
    "val": "val-content-v1.getContent",
    "riot": "account-v1.getByPuuid",
}
_DEFAULT_SERVERS = {"platform": "na1", "regional": "americas", "val-platform": "na"}


def _server_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    from .riot import PLATFORMS, REGIONS, VAL_PLATFORMS

    values = {"platform": PLATFORMS, "regional": REGIONS, "val-platform": VAL_PLATFORMS}
    return [(label, [(value, value) for value in values[route]]) for route, label in ROUTE_GROUPS.items()]


def default_lookup(game: str) -> tuple[str, str] | None:
    """(operation, server) a fresh form starts with: one that routes correctly."""
    from .riot import endpoints_for_game

    operations = _get_operations(game)
    if not operations:
        return None
    operation = _DEFAULT_OPERATIONS.get(game)
    if operation not in operations:
        operation = operations[0]
    return operation, _DEFAULT_SERVERS[endpoints_for_game(game)[operation].route]


def _get_operations(game: str) -> list[str]:
    # Only GET operations are ever cached, so only they can be looked up.
    from .riot import endpoints_for_game

    return sorted(op for op, endpoint in endpoints_for_game(game).items() if endpoint.http_method == "GET")


class OperationHints(TypedDict):
    """What the form's script needs of one operation (sent to the page as JSON)."""

    path: list[str]
    query: list[str]
    servers: str  # the label of the server select's group it routes by (ROUTE_GROUPS)
    default_server: str


def catalogue_hints() -> dict[str, dict[str, OperationHints]]:
    """pipeline → operation → its path and query parameter names (for the form's hints)."""
    from .riot import endpoints_for_game

    hints: dict[str, dict[str, OperationHints]] = {}
    for name in configured_names():
        endpoints = endpoints_for_game(name)
        hints[name] = {
            op: {
                "path": list(endpoints[op].path_params),
                "query": list(endpoints[op].query_params),
                "servers": ROUTE_GROUPS[endpoints[op].route],
                "default_server": _DEFAULT_SERVERS[endpoints[op].route],
            }
            for op in _get_operations(name)
        }
    return hints


def _lines(text: str) -> list[str]:
    return text.splitlines()


class TokenForm(forms.Form):
    """Names one token; ``cleaned_data`` gets ``params`` and ``queries`` as dicts."""

    pipeline = forms.ChoiceField()
    server = forms.ChoiceField()
    method = forms.ChoiceField(label="Operation")
    params = forms.CharField(
        label="Path parameters",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "placeholder": "encryptedPUUID=…"}),
        help_text="One key=value per line.",
    )
    queries = forms.CharField(
        label="Query parameters",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60, "placeholder": "count=20"}),
        help_text="One key=value per line; repeat a key for a list.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = configured_names()
        self._choice_field("pipeline").choices = [(name, name) for name in names]
        self._choice_field("server").choices = _server_choices()
        # One group per pipeline; the page's script shows only the selected pipeline's group.
        self._choice_field("method").choices = [
            (name, [(op, op) for op in _get_operations(name)]) for name in names
        ]
        if not self.is_bound and names:
            default = default_lookup(names[0])
            if default:
                self.initial.setdefault("pipeline", names[0])
                self.initial.setdefault("method", default[0])
                self.initial.setdefault("server", default[1])

    def _choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            cleaned["params"] = parse_pairs(_lines(cleaned.get("params") or ""))
            cleaned["queries"] = parse_pairs(_lines(cleaned.get("queries") or ""))
            from .operations.selection import build_token

            (pipeline,) = resolve_pipelines([cleaned["pipeline"]])
            cleaned["token"] = build_token(
                pipeline, cleaned["server"], cleaned["method"], cleaned["params"], cleaned["queries"]
            )
        except PyotError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return cleaned

    def lookup_args(self) -> tuple[str, str, str, dict[str, Any], dict[str, Any]]:
        data = self.cleaned_data
        return data["pipeline"], data["server"], data["method"], data["params"], data["queries"]
