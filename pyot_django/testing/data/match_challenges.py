"""The ``challenges`` block of a match-v5 participant: ~145 counters, most of them small.

Grouped by how their values are distributed rather than listed one by one: the names are Riot's,
the ranges are what real payloads show.
"""

from __future__ import annotations

import random

# Rare feats: almost always 0, occasionally 1.
RARE = (
    "12AssistStreakCount",
    "InfernalScalePickup",
    "SWARM_DefeatAatrox",
    "SWARM_DefeatBriar",
    "SWARM_DefeatMiniBosses",
    "SWARM_EvolveWeapon",
    "SWARM_Have3Passives",
    "SWARM_KillEnemy",
    "SWARM_ReachLevel50",
    "SWARM_Survive15Min",
    "SWARM_WinWith5EvolvedWeapons",
    "blastConeOppositeOpponentCount",
    "completeSupportQuestInTime",
    "dancedWithRiftHerald",
    "doubleAces",
    "elderDragonKillsWithOpposingSoul",
    "elderDragonMultikills",
    "epicMonsterKillsNearEnemyJungler",
    "epicMonsterKillsWithin30SecondsOfSpawn",
    "epicMonsterSteals",
    "epicMonsterStolenWithoutSmite",
    "fistBumpParticipation",
    "flawlessAces",
    "hadOpenNexus",
    "kTurretsDestroyedBeforePlatesFall",
    "killedChampTookFullTeamDamageSurvived",
    "killsOnRecentlyHealedByAramPack",
    "killsWithHelpFromEpicMonster",
    "lostAnInhibitor",
    "mejaisFullStackInTime",
    "multiKillOneSpell",
    "multiTurretRiftHeraldCount",
    "multikillsAfterAggressiveFlash",
    "outerTurretExecutesBefore10Minutes",
    "outnumberedNexusKill",
    "perfectDragonSoulsTaken",
    "perfectGame",
    "poroExplosions",
    "quickCleanse",
    "quickFirstTurret",
    "quickSoloKills",
    "saveAllyFromDeath",
    "soloBaronKills",
    "survivedSingleDigitHpCount",
    "takedownOnFirstTurret",
    "takedownsInAlcove",
    "takedownsInEnemyFountain",
    "teamElderDragonKills",
    "turretsTakenWithRiftHerald",
    "twentyMinionsIn3SecondsCount",
    "twoWardsOneSweeperCount",
    "voidMonsterKill",
    "moreEnemyJungleThanOpponent",
    "firstTurretKilled",
    "initialBuffCount",
    "initialCrabCount",
    "junglerTakedownsNearDamagedEpicMonster",
    "legendaryCount",
)
# Everyday counters: 0 .. ~15.
SMALL = (
    "acesBefore15Minutes",
    "baronTakedowns",
    "buffsStolen",
    "controlWardsPlaced",
    "dodgeSkillShotsSmallWindow",
    "dragonTakedowns",
    "enemyChampionImmobilizations",
    "fullTeamTakedown",
    "immobilizeAndKillWithAlly",
    "killAfterHiddenWithAlly",
    "killsNearEnemyTurret",
    "killsUnderOwnTurret",
    "knockEnemyIntoTeamAndKill",
    "outnumberedKills",
    "pickKillWithAlly",
    "riftHeraldTakedowns",
    "scuttleCrabKills",
    "snowballsHit",
    "stealthWardsPlaced",
    "survivedThreeImmobilizesInFight",
    "takedownsAfterGainingLevelAdvantage",
    "takedownsBeforeJungleMinionSpawn",
    "teamBaronKills",
    "teamRiftHeraldKills",
    "tookLargeDamageSurvived",
    "turretPlatesTaken",
    "unseenRecalls",
    "wardsGuarded",
    "wardTakedowns",
    "wardTakedownsBefore20M",
    "getTakedownsInAllLanesEarlyJungleAsLaner",
    "killsOnOtherLanesEarlyJungleAsLaner",
    "maxKillDeficit",
    "maxLevelLeadLaneOpponent",
    "soloTurretsLategame",
)
# Yes/no flags Riot sends as 0 or 1 (the schema's enum says so).
FLAGS = ("laningPhaseGoldExpAdvantage",)
# Per-game volumes: tens to hundreds.
LARGE = ("landSkillShotsEarlyGame", "laneMinionsFirst10Minutes", "skillshotsDodged", "skillshotsHit")
# Fractions/amounts reported as floats.
FLOATS = (
    "alliedJungleMonsterKills",
    "enemyJungleMonsterKills",
    "jungleCsBefore10Minutes",
    "effectiveHealAndShielding",
    "HealFromMapSources",
    "SWARM_PickupGold",
    "maxCsAdvantageOnLaneOpponent",
    "earlyLaningPhaseGoldExpAdvantage",
    "visionScoreAdvantageLaneOpponent",
)
# Present only when the thing happened (Riot omits them otherwise).
OPTIONAL_TIMES = (
    "earliestDragonTakedown",
    "earliestBaron",
    "firstTurretKilledTime",
    "fastestLegendary",
    "shortestTimeToAceFromFirstTakedown",
    "controlWardTimeCoverageInRiverOrEnemyHalf",
)


# Lane, jungle and objective counters Arena (CHERRY) matches do not carry (NA1_5245486208).
NOT_IN_ARENA = frozenset(
    {
        "controlWardTimeCoverageInRiverOrEnemyHalf", "earliestBaron", "earliestDragonTakedown",
        "earlyLaningPhaseGoldExpAdvantage", "fastestLegendary", "firstTurretKilledTime",
        "junglerKillsEarlyJungle", "killsOnLanersEarlyJungleAsJungler", "laningPhaseGoldExpAdvantage",
        "maxCsAdvantageOnLaneOpponent", "maxLevelLeadLaneOpponent", "playedChampSelectPosition",
        "soloTurretsLategame", "visionScoreAdvantageLaneOpponent",
    }
)  # fmt: skip


def challenges(
    r: random.Random,
    s: dict[str, int],
    team: dict[str, int],
    duration: int,
    legendaries: list[int],
    position_index: int,
) -> dict[str, object]:
    """``s``: the participant's headline stats; ``team``: team totals (kills, damage, taken)."""
    minutes = duration / 60
    out: dict[str, object] = {}
    for name in RARE:
        out[name] = 1 if r.random() < 0.06 else 0
    for name in SMALL:
        out[name] = int(r.expovariate(1 / 3))
    for name in FLAGS:
        out[name] = int(r.random() < 0.45)
    for name in LARGE:
        out[name] = r.randint(5, 180)
    for name in FLOATS:
        out[name] = (
            0 if r.random() < 0.4 else round(r.uniform(-40, 2500), 6) if "Advantage" in name else r.uniform(0, 3000)
        )
    for name in OPTIONAL_TIMES:
        if r.random() < 0.3:
            out[name] = r.uniform(0.2, 0.95) if name.startswith("control") else r.uniform(240, duration)
    takedowns = s["kills"] + s["assists"]
    out.update(
        {
            "abilityUses": r.randint(80, 700),
            "bountyGold": r.choice((0, 0, 150.0, 300.0, r.uniform(100, 900))),
            "damagePerMinute": s["damage_to_champions"] / minutes,
            "damageTakenOnTeamPercentage": s["damage_taken"] / max(1, team["damage_taken"]),
            "deathsByEnemyChamps": s["deaths"],
            "gameLength": duration + r.random(),
            "goldPerMinute": s["gold"] / minutes,
            "kda": takedowns / max(1, s["deaths"]),
            "killParticipation": takedowns / max(1, team["kills"]),
            "killingSprees": s["killing_sprees"],
            "legendaryItemUsed": legendaries,
            "multikills": s["multikills"],
            "playedChampSelectPosition": 1,
            "soloKills": min(s["kills"], int(r.expovariate(1 / 1.5))),
            "takedowns": takedowns,
            "takedownsFirstXMinutes": min(takedowns, r.randint(0, 8)),
            "teamDamagePercentage": s["damage_to_champions"] / max(1, team["damage_to_champions"]),
            "turretTakedowns": s["turret_takedowns"],
            "visionScorePerMinute": s["vision"] / minutes,
        }
    )
    if position_index == 1:  # jungle-only counters
        out["junglerKillsEarlyJungle"] = r.randint(0, 3)
        out["killsOnLanersEarlyJungleAsJungler"] = r.randint(0, 4)
    return out
