"""The shape of one Riot API operation, as the catalogue describes it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["RETURN_KINDS", "Endpoint", "QueryParam", "accepts_kind"]

# What an operation's 2xx body is, from the reference's response schemas; "none": no body.
RETURN_KINDS = ("object", "array", "integer", "string", "none")


def accepts_kind(kind: str, value: object) -> bool:
    """Whether ``value`` (decoded JSON) is of the kind ``kind`` (one of ``RETURN_KINDS``)."""
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    return value is None


@dataclass(frozen=True, slots=True)
class QueryParam:
    """One query parameter of an operation."""

    name: str
    type: str  # "int", "string", "bool" or "float": what Riot parses the value as
    required: bool = False
    is_list: bool = False  # sent as repeated keys: ?a=1&a=2


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One Riot API operation (immutable; shared by the store, the shorthand and the emulator)."""

    operation_id: str  # Riot's own id, e.g. "match-v5.getMatch"
    http_method: str  # "GET", "POST" or "PUT"
    path: str  # template, e.g. "/lol/match/v5/matches/{matchId}"
    route: str  # "platform", "regional" or "val-platform"
    game: str  # "riot" (account-v1), "lol", "tft", "lor", "val" or "riftbound"
    path_params: tuple[str, ...]  # in path order
    # A read-only mapping is not hashable, so it stays out of the generated __hash__.
    query_params: Mapping[str, QueryParam] = field(hash=False)
    has_body: bool = False
    returns: str = "object"  # what a 2xx body must be: one of RETURN_KINDS

    def accepts(self, value: object) -> bool:
        """Whether a decoded 2xx body is the JSON type this operation returns."""
        return accepts_kind(self.returns, value)

    @property
    def family(self) -> str:
        """The API the operation belongs to, e.g. "match-v5"."""
        return self.operation_id.partition(".")[0]

    def __repr__(self) -> str:
        return f"<Endpoint {self.operation_id} {self.http_method} {self.path} ({self.route})>"
