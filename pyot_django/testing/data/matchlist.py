"""match-v5 (and lol-rso-match-v1) match-id lists, and the registry that makes those ids resolve.

Each listed id records its owner, queue and creation time, so ``getMatch`` on it later puts the
owner among the participants and agrees with the filters the list was asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._core import ANCHOR_MS, DataNotFound, Handler, Request, check_not_found, q_int, q_opt_int, q_str, rng
from .ids import BoundedRegistry, home_platform, me_puuid, region_of
from .lol_static import HISTORY_MIX, QUEUES_BY_TYPE

SLOT = 2_000_000  # id space per history index: ids fall strictly as the index grows
MAX_SCAN = 4_000  # how deep a filtered list looks before giving up (Riot's history is finite too)
HOUR_MS = 3_600_000


@dataclass(frozen=True, slots=True)
class MatchSeed:
    owner: str
    queue: int
    creation_ms: int


# (key_id, match id) -> seed. PUUIDs are per key, so the owner is too.
MATCHES: BoundedRegistry[tuple[str, str], MatchSeed] = BoundedRegistry(300_000)


def _stream_queue(puuid: str, stream: str, queues: tuple[int, ...] | None, i: int) -> int:
    r = rng("mq", puuid, stream, i)
    if queues:
        return queues[0] if len(queues) == 1 else r.choice(queues)
    return r.choices([q for q, _ in HISTORY_MIX], [w for _, w in HISTORY_MIX])[0]


def list_ids(
    puuid: str, region: str, key: str, query: dict[str, list[str]], id_base: int, prefix_for: str | None = None
) -> list[str]:
    """The ``start``..``start+count`` slice of a player's history, newest first.

    A *stream* (the queue/type filter) picks both ids and queues, so a filtered list is as long as
    asked instead of thinning out; ``startTime``/``endTime`` (epoch seconds) window it loosely.
    """
    start = q_int(query, "start", 0, 0, 10_000)
    count = q_int(query, "count", 20, 0, 100)
    queue = q_opt_int(query, "queue")
    kind = q_str(query, "type")
    queues: tuple[int, ...] | None = (queue,) if queue is not None else QUEUES_BY_TYPE.get(kind or "", None)
    if queues == ():
        return []
    stream = f"{queue}/{kind}"
    end_ms = min(ANCHOR_MS, (q_opt_int(query, "endTime") or ANCHOR_MS // 1000) * 1000)
    start_ms = (q_opt_int(query, "startTime") or 0) * 1000
    platform = prefix_for or home_platform(puuid, region)
    base = id_base - rng("base", puuid).randrange(50_000_000)
    out: list[str] = []
    skipped = 0
    t = end_ms
    for i in range(MAX_SCAN):
        if len(out) >= count:
            break
        r = rng("mid", puuid, stream, i)
        t -= r.randint(1, 20) * HOUR_MS // 4  # a game every 15 min .. 5 h
        if t < start_ms:
            break
        if skipped < start:
            skipped += 1
            continue
        match_id = f"{platform}_{base - i * SLOT - r.randrange(SLOT)}"
        MATCHES.remember((key, match_id), MatchSeed(puuid, _stream_queue(puuid, stream, queues, i), t))
        out.append(match_id)
    return out


def by_puuid(req: Request) -> object:
    check_not_found(req.path)
    return list_ids(req.path["puuid"], region_of(req.server), req.key_id, req.query, 5_400_000_000)


def rso_ids(req: Request) -> object:
    return list_ids(me_puuid(req.key_id), region_of(req.server), req.key_id, req.query, 5_400_000_000)


def replays(req: Request) -> object:
    check_not_found(req.path)
    puuid = req.path["puuid"]
    ids = list_ids(puuid, region_of(req.server), req.key_id, {"count": ["3"]}, 5_400_000_000)
    if not ids:
        raise DataNotFound("Data not found - no replays")
    host = "https://replay-storage.example.riotgames.com"
    return {"total": len(ids), "matchFileURLs": [f"{host}/{m}.rofl" for m in ids]}


HANDLERS: dict[str, Handler] = {
    # Listing registers ids (a side effect), so it runs every time; it costs ~20 hashes.
    "match-v5.getMatchIdsByPUUID": Handler(by_puuid, cache=0),
    "lol-rso-match-v1.getMatchIds": Handler(rso_ids, cache=0),
    "match-v5.getReplay": Handler(replays, cache=0),
}
