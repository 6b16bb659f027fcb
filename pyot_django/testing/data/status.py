"""lol/tft/lor/val status-v*: platform data with an occasional maintenance and incident."""

from __future__ import annotations

import random

from ._core import ANCHOR_MS, Handler, Request, iso_utc, rng

LOCALES = ("en_US", "es_MX", "pt_BR", "fr_FR", "de_DE", "ko_KR", "ja_JP")


def _status(r: random.Random, maintenance: bool, strict: bool = False) -> dict[str, object]:
    created = ANCHOR_MS - r.randrange(3 * 86_400_000)
    title = "Scheduled maintenance" if maintenance else "Players may experience login issues"
    body = "We are performing maintenance." if maintenance else "We are investigating reports of login issues."
    entry: dict[str, object] = {
        "id": r.randint(1000, 99999),
        "titles": [{"locale": "en_US", "content": title}],
        "updates": [
            {
                "id": r.randint(1000, 99999),
                "author": "Riot Games",
                "publish": True,
                "publish_locations": ["riotclient", "riotstatus", "game"],
                "translations": [{"locale": "en_US", "content": body}],
                "created_at": iso_utc(created),
                "updated_at": iso_utc(created + 600_000),
            }
        ],
        "created_at": iso_utc(created),
        "archive_at": iso_utc(created + 86_400_000),
        "updated_at": iso_utc(created + 600_000),
        "platforms": ["windows", "macos"],
    }
    if maintenance:
        entry["maintenance_status"] = r.choice(("scheduled", "in_progress"))
        entry["incident_severity"] = "info"
    else:
        entry["incident_severity"] = r.choice(("info", "warning"))
        if strict:  # tft-status-v1 requires the field on incidents too; Riot sends the closed state
            entry["maintenance_status"] = "complete"
    return entry


def platform_data(req: Request) -> object:
    server = req.server.lower()
    r = rng("status", req.operation, server)
    return {
        "id": server.upper(),
        "name": server.upper(),
        "locales": list(LOCALES[: r.randint(1, len(LOCALES))]),
        "maintenances": [_status(r, True)] if r.random() < 0.2 else [],
        "incidents": [_status(r, False, req.operation.startswith("tft-"))] if r.random() < 0.2 else [],
    }


HANDLERS: dict[str, Handler] = {
    op: Handler(platform_data, cache=128)
    for op in (
        "lol-status-v4.getPlatformData",
        "tft-status-v1.getPlatformData",
        "lor-status-v1.getPlatformData",
        "val-status-v1.getPlatformData",
    )
}
