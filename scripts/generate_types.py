"""Generate ``pyot_django/riot/types.py`` and ``pyot_django/pipeline/typed_fetch.py``.

Usage: ``python scripts/generate_types.py ../shared/riotapi/openapi-3.0.0.json [--check]``

The Riot API reference's ``components.schemas`` become one ``TypedDict`` per DTO
(``NotRequired`` where the reference does not require a field, ``Literal`` for its
enums); its operations become ``OPERATION_TYPES`` (response type, path parameters,
routing kind) and the ``@overload``s of ``Pipeline.fetch`` / ``fetch_sync``. Both
modules are committed: they are the project's own form of those facts, and
``tests/reference/test_types_generated.py`` checks they are what this script writes
now. ``--check`` writes nothing and exits 1 when a committed module is stale.
"""

from __future__ import annotations

import argparse
import json
import keyword
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pyot_django.riot.routing import PLATFORMS, REGIONS, VAL_PLATFORMS  # noqa: E402
from pyot_django.riot.static_catalogue import STATIC_ENDPOINTS  # noqa: E402

TYPES_PATH = ROOT / "pyot_django" / "riot" / "types.py"
FETCH_PATH = ROOT / "pyot_django" / "pipeline" / "typed_fetch.py"

_ROUTE_ALIAS = {"platform": "Platform", "regional": "Region", "val-platform": "ValPlatform", "static": "StaticServer"}
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def camel(text: str) -> str:
    """``lol-challenges-v1`` -> ``LolChallengesV1``; ``status`` -> ``Status``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", text) if part)


def class_name(schema_key: str) -> str:
    family, _, title = schema_key.rpartition(".")
    return camel(family) + camel(title) if family else camel(title) + "Dto"


@dataclass
class TypedDictSpec:
    name: str
    description: str
    fields: list[tuple[str, str, bool]]  # (JSON key, annotation, required)


class SchemaWriter:
    """Turns schemas into annotations, collecting the TypedDicts they need."""

    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas
        self.specs: list[TypedDictSpec] = []

    def annotation(self, schema: dict[str, Any], owner: str) -> str:
        ref = schema.get("$ref")
        if ref:
            return repr(class_name(ref.rsplit("/", 1)[1]))
        kind = schema.get("type")
        if "enum" in schema:
            # Double quotes: single-quoted names are references to TypedDicts (see _unquote).
            return "Literal[" + ", ".join(json.dumps(value) for value in schema["enum"]) + "]"
        if kind == "integer":
            return "int"
        if kind == "number":
            return "float"
        if kind == "string":
            return "str"
        if kind == "boolean":
            return "bool"
        if kind == "array":
            return f"list[{self.annotation(schema.get('items', {}), owner)}]"
        if kind == "object":
            if "properties" in schema:
                self.add(owner, schema)
                return repr(owner)
            values = schema.get("additionalProperties")
            if isinstance(values, dict):
                # JSON object keys are strings, whatever the reference's x-key says (Long, Level, ...).
                return f"dict[str, {self.annotation(values, owner + 'Value')}]"
            return "dict[str, Any]"
        return "Any"

    def add(self, name: str, schema: dict[str, Any]) -> None:
        required = set(schema.get("required", ()))
        fields = []
        for prop, sub in schema.get("properties", {}).items():
            annotation = self.annotation(sub, name + camel(prop))
            alias = sub.get("x-alias")
            if alias:
                # Riot sends either spelling: PlayerScore0 beside the participant's stats,
                # playerScore0 inside its missions (real payloads in the reference's examples).
                fields += [(prop, annotation, False), (alias, annotation, False)]
            else:
                fields.append((prop, annotation, prop in required))
        description = " ".join((schema.get("description") or "").split())
        self.specs.append(TypedDictSpec(name, description, fields))


def render_typed_dict(spec: TypedDictSpec) -> str:
    def field_type(annotation: str, required: bool) -> str:
        return annotation if required else f"NotRequired[{annotation}]"

    doc = spec.description.replace('"""', "'''").replace("\\", "\\\\")
    if all(_IDENTIFIER.match(key) and not keyword.iskeyword(key) for key, _, _ in spec.fields):
        lines = [f"class {spec.name}(TypedDict):"]
        if doc:
            lines.append(f'    """{doc}"""')
            lines.append("")
        lines += [f"    {key}: {field_type(annotation, required)}" for key, annotation, required in spec.fields]
        if not spec.fields and not doc:
            lines.append("    pass")
        elif not spec.fields:
            lines.pop()  # no blank line after a lone docstring
        return "\n".join(lines)
    # Keys like "12AssistStreakCount" or "en-US" are not identifiers: the functional form.
    body = "\n".join(f"        {key!r}: {field_type(ann, required)}," for key, ann, required in spec.fields)
    return f"{spec.name} = TypedDict(\n    {spec.name!r},\n    {{\n{body}\n    }},\n)"


@dataclass
class OperationSpec:
    operation_id: str
    route: str
    response: str  # annotation
    path_params: list[tuple[str, str]]  # (name, annotation)
    query_params: list[tuple[str, str, bool]]  # (name, annotation, required)
    method: str


def _param_type(schema: dict[str, Any], writer: SchemaWriter) -> str:
    return writer.annotation(schema, "Unused")


def read_operations(openapi: dict[str, Any], writer: SchemaWriter) -> list[OperationSpec]:
    operations = []
    for _path, item in openapi["paths"].items():
        for verb, op in item.items():
            if not isinstance(op, dict) or "operationId" not in op:
                continue
            answer = op["responses"].get("200") or {}
            schema = answer.get("content", {}).get("application/json", {}).get("schema")
            response = writer.annotation(schema, camel(op["operationId"]) + "Response") if schema else "None"
            params = op.get("parameters", [])
            operations.append(
                OperationSpec(
                    operation_id=op["operationId"],
                    route=op["x-route-enum"],
                    response=response,
                    path_params=[(p["name"], _param_type(p["schema"], writer)) for p in params if p["in"] == "path"],
                    query_params=[
                        (p["name"], _param_type(p["schema"], writer), bool(p.get("required")))
                        for p in params
                        if p["in"] == "query"
                    ],
                    method=verb.upper(),
                )
            )
    return sorted(operations, key=lambda spec: spec.operation_id)


def static_operations() -> list[OperationSpec]:
    """The static-data families of our own catalogue (not in Riot's reference)."""
    specs = []
    for endpoint in STATIC_ENDPOINTS.values():
        specs.append(
            OperationSpec(
                operation_id=endpoint.operation_id,
                route="static",
                response=endpoint.response_annotation,
                path_params=[(name, "str") for name in endpoint.path_params],
                query_params=[
                    (q.name, {"int": "int", "bool": "bool"}.get(q.type, "str"), q.required)
                    for q in endpoint.query_params.values()
                ],
                method="GET",
            )
        )
    return sorted(specs, key=lambda spec: spec.operation_id)


def literal(values: tuple[str, ...]) -> str:
    return "Literal[" + ", ".join(repr(value) for value in values) + "]"


def queries_class(op: OperationSpec) -> str:
    return camel(op.operation_id) + "Queries"


def render_types(openapi: dict[str, Any], source: str) -> tuple[str, list[OperationSpec]]:
    writer = SchemaWriter(openapi["components"]["schemas"])
    for key, schema in openapi["components"]["schemas"].items():
        writer.add(class_name(key), schema)
    operations = read_operations(openapi, writer)
    statics = static_operations()
    everything = operations + statics
    query_specs = [
        TypedDictSpec(queries_class(op), f"Query parameters of {op.operation_id}.", list(op.query_params))
        for op in everything
        if op.query_params
    ]
    names = {spec.name for spec in writer.specs} | {spec.name for spec in query_specs}
    names |= {"OPERATION_TYPES", "OperationType", "Platform", "Region", "RouteKind", "StaticServer", "ValPlatform"}
    out = [
        f'"""Types of the Riot API reference: a TypedDict per DTO, routing Literals, the operations table.\n\n'
        f"GENERATED by scripts/generate_types.py from {source} -- do not edit by hand.\n"
        f'Regenerate: python scripts/generate_types.py PATH/TO/openapi-3.0.0.json\n"""',
        "",
        "# ruff: noqa: E501",
        "",
        "from collections.abc import Mapping",
        "from dataclasses import dataclass",
        "from types import MappingProxyType",
        "from typing import Any, Final, Literal, NotRequired, TypedDict",
        "",
        "__all__ = [",
        *[f'    "{name}",' for name in sorted(names, key=_isort_key)],
        "]",
        "",
        f"Platform = {literal(PLATFORMS)}",
        f"Region = {literal(REGIONS)}",
        f"ValPlatform = {literal(VAL_PLATFORMS)}",
        "# The routing value of static-data operations (Data Dragon, CommunityDragon, Meraki, valorant-api).",
        'StaticServer = Literal["global"]',
        'RouteKind = Literal["platform", "regional", "val-platform", "static"]',
        "",
    ]
    for spec in writer.specs + query_specs:
        out += ["", render_typed_dict(spec), ""]
    out += [
        "",
        "@dataclass(frozen=True)",
        "class OperationType:",
        '    """What an operation takes and answers, by the reference."""',
        "",
        "    response: Any  # a TypedDict, list[...], dict[...], int, str or None",
        "    route: RouteKind",
        "    path_params: Mapping[str, Any]  # str, int or a Literal of the values Riot accepts",
        "    query_params: Mapping[str, Any]",
        "    http_method: str",
        "",
        "",
        "OPERATION_TYPES: Final[Mapping[str, OperationType]] = MappingProxyType(",
        "    {",
    ]
    for op in everything:
        response = _unquote(op.response)
        path = "{" + ", ".join(f"{name!r}: {ann}" for name, ann in op.path_params) + "}"
        query = "{" + ", ".join(f"{name!r}: {_unquote(ann)}" for name, ann, _ in op.query_params) + "}"
        out.append(
            f"        {op.operation_id!r}: OperationType({response}, {op.route!r}, {path}, {query}, {op.method!r}),"
        )
    out += ["    }", ")", ""]
    return "\n".join(out), everything


def _isort_key(name: str) -> tuple[int, str]:
    # ruff's RUF022 order: SCREAMING_CASE, then CamelCase, then the rest.
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def _unquote(annotation: str) -> str:
    # In the table the types are values, evaluated after every class exists.
    return re.sub(r"'([A-Za-z0-9_]+)'", r"\1", annotation)


def render_fetch(operations: list[OperationSpec]) -> str:
    gets = [op for op in operations if op.method == "GET"]
    out = [
        '"""Typed ``Pipeline.fetch`` / ``fetch_sync``: one ``@overload`` per GET operation.',
        "",
        "GENERATED by scripts/generate_types.py -- do not edit by hand. mypy and pyright infer",
        "the response TypedDict from the operation id, and reject an unknown operation id, a",
        "misspelled or missing path parameter, a query parameter the operation does not take",
        "and a routing value of the wrong kind (when it is a literal or typed as one of",
        "``pyot_django.riot.types.Platform`` / ``Region`` / ``ValPlatform``). For an operation id",
        "only known at run time use ``pipeline.get(pipeline.token(method, server, **params))``.",
        '"""',
        "",
        "# ruff: noqa: E501",
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Mapping",
        "from typing import TYPE_CHECKING, Any, Literal, overload",
        "",
        "if TYPE_CHECKING:",
        "    # Only for the checker: importing ~180 TypedDicts at run time would slow every start.",
        "    from ..riot import types as t",
        "    from .token import PipelineToken",
        "",
        '__all__ = ["TypedFetch"]',
        "",
        "",
        "class TypedFetch:",
        '    """The typed ``fetch`` / ``fetch_sync`` that ``Pipeline`` inherits."""',
        "",
        "    if TYPE_CHECKING:",
        "",
        "        def token(",
        "            self, method: str, server: str, /, *, queries: Any = None, **params: Any",
        "        ) -> PipelineToken: ...",
        "",
        "        async def get(",
        "            self, token: PipelineToken, sid: str | None = None, *, deadline: float | None = None",
        "        ) -> Any: ...",
        "",
        "        def get_sync(",
        "            self, token: PipelineToken, sid: str | None = None, *, deadline: float | None = None",
        "        ) -> Any: ...",
        "",
    ]
    for asynchronous in (True, False):
        name = "fetch" if asynchronous else "fetch_sync"
        prefix = "async def" if asynchronous else "def"
        for op in gets:
            server = "t." + _ROUTE_ALIAS[op.route]
            params = "".join(f", {pname}: {_typed(ann)}" for pname, ann in op.path_params)
            if op.query_params:
                required = any(req for _, _, req in op.query_params)
                queries = f"queries: t.{queries_class(op)}" + ("" if required else " | None = None")
            else:
                queries = "queries: None = None"
            out += [
                "    @overload",
                f"    {prefix} {name}(self, method: Literal[{op.operation_id!r}], server: {server}, /, *, "
                f"{queries}, deadline: float | None = None{params}) -> {_typed(op.response)}: ...",
            ]
        out += _implementation(asynchronous)
    return "\n".join(out) + "\n"


def _typed(annotation: str) -> str:
    # Names of TypedDicts are quoted in types.py; here they are attributes of the module.
    return re.sub(r"'([A-Za-z0-9_]+)'", r"t.\1", annotation)


_FETCH_DOC = [
    '        """Get by operation id and named parameters, checked against the catalogue first.',
    "",
    '        ``await lol.fetch("summoner-v4.getByPUUID", "na1", encryptedPUUID=puuid)``; a',
    "        missing, extra or misspelled parameter, an unknown operation or a server that",
    "        does not fit its routing raise before any store is asked (and are type errors).",
    "        ``deadline`` as in ``get``.",
    '        """',
]
_FETCH_SYNC_DOC = ['        """``fetch`` for sync code: cache hits are read in this thread (see ``get_sync``)."""']


def _implementation(asynchronous: bool) -> list[str]:
    prefix, name, call, wait = (
        ("async def", "fetch", "get", "await ") if asynchronous else ("def", "fetch_sync", "get_sync", "")
    )
    return [
        f"    {prefix} {name}(",
        "        self,",
        "        method: str,",
        "        server: str,",
        "        /,",
        "        *,",
        "        queries: Mapping[str, Any] | None = None,",
        "        deadline: float | None = None,",
        "        **params: Any,",
        "    ) -> Any:",
        *(_FETCH_DOC if asynchronous else _FETCH_SYNC_DOC),
        f"        return {wait}self.{call}(self.token(method, server, queries=queries, **params), deadline=deadline)",
        *([""] if asynchronous else []),
    ]


def generate(reference: Path) -> dict[Path, str]:
    with open(reference, encoding="utf-8") as f:
        openapi = json.load(f)
    types_source, operations = render_types(openapi, reference.name)
    return {TYPES_PATH: types_source, FETCH_PATH: render_fetch(operations)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path, help="path to the Riot API reference openapi-3.0.0.json")
    parser.add_argument("--check", action="store_true", help="exit 1 if a committed module differs")
    args = parser.parse_args(argv)
    stale = []
    for path, text in generate(args.reference).items():
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    for path in stale:
        print(f"stale: {path.relative_to(ROOT)}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
