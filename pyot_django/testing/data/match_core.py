"""The skeleton of a LoL match, shared by getMatch and getTimeline so the two always agree:
who played what on which side, how long it lasted, who won."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ._core import ANCHOR_MS, rng, seed_int
from .ids import PLATFORMS_BY_REGION, REGION_OF_PLATFORM, player, riot_id_of
from .lol_static import CHAMPION_IDS, CHAMPION_NAME, GAME_VERSIONS, HISTORY_MIX, POSITIONS, QUEUES
from .matchlist import MATCHES, MatchSeed

ARENA_PLAYERS = 16


@dataclass(frozen=True, slots=True)
class Player:
    participant_id: int
    puuid: str
    game_name: str
    tag_line: str
    team_id: int
    position: str  # "" outside Summoner's Rift
    champion_id: int
    champion_name: str
    subteam: int = 0  # Arena (CHERRY): the duo, 1-8; 0 elsewhere
    placement: int = 0  # Arena: the duo's final place, 1-8; 0 elsewhere


@dataclass(frozen=True, slots=True)
class MatchCore:
    match_id: str
    platform: str
    game_id: int
    queue: int
    map_id: int
    game_mode: str
    game_type: str
    version: str
    creation_ms: int
    start_ms: int
    duration_s: int
    winner: int  # 100 or 200
    players: tuple[Player, ...]

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.duration_s * 1000 + 200


def parse_match_id(match_id: str, server: str) -> tuple[str, int]:
    """``NA1_5245486208`` -> (platform, gameId). Malformed ids still generate (on the region's main
    platform, with a hashed game id): the emulator is lenient, Riot's 400s are not its concern."""
    platform, _, number = match_id.partition("_")
    if number.isdigit() and platform.upper() in REGION_OF_PLATFORM:
        return platform.upper(), int(number)
    fallback = PLATFORMS_BY_REGION.get(server.lower(), ("NA1",))[0]
    return fallback, 4_000_000_000 + seed_int("gid", match_id) % 1_000_000_000


def owner_of(match_id: str, key: str) -> MatchSeed | None:
    return MATCHES.get((key, match_id))


@lru_cache(maxsize=4096)
def match_core(match_id: str, server: str, key: str, seed: MatchSeed | None) -> MatchCore:
    platform, game_id = parse_match_id(match_id, server)
    # Stats are seeded by the match alone; only PUUIDs depend on the key (encrypted per key).
    r = rng("match", match_id)
    if seed is not None:
        queue, creation = seed.queue, seed.creation_ms
    else:
        queue = r.choices([q for q, _ in HISTORY_MIX], [w for _, w in HISTORY_MIX])[0]
        creation = ANCHOR_MS - r.randrange(400 * 86_400_000)
    map_id, mode, game_type = QUEUES.get(queue, QUEUES[420])
    aram = mode == "ARAM"
    duration = r.randint(840, 1500) if aram else r.randint(960, 2400)
    arena = mode == "CHERRY"
    size = ARENA_PLAYERS if arena else 10
    if arena:
        duration = r.randint(1100, 1700)
    champions = r.sample(CHAMPION_IDS, size)
    # Arena: 8 duos; the top four places count as team 100 (win), the others as 200, as at Riot.
    places = r.sample(range(1, 9), 8)
    owner_slot = seed_int("owner-slot", match_id) % size
    players = []
    for i in range(size):
        subteam = i // 2 + 1 if arena else 0
        placement = places[subteam - 1] if arena else 0
        team = (100 if placement <= 4 else 200) if arena else 100 if i < 5 else 200
        if seed is not None and i == owner_slot:
            puuid = seed.owner
            name, tag = riot_id_of(puuid, key)
        else:
            puuid, name, tag = player(("match", match_id, i), key)
        position = "" if aram else POSITIONS[i % 5]
        champ = champions[i]
        players.append(Player(i + 1, puuid, name, tag, team, position, champ, CHAMPION_NAME[champ], subteam, placement))
    return MatchCore(
        match_id=match_id,
        platform=platform,
        game_id=game_id,
        queue=queue,
        map_id=map_id,
        game_mode=mode,
        game_type=game_type,
        version=r.choice(GAME_VERSIONS),
        creation_ms=creation,
        start_ms=creation + r.randint(20_000, 90_000),
        duration_s=duration,
        winner=100 if arena else r.choice((100, 200)),
        players=tuple(players),
    )
