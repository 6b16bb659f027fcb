"""Game constants the LoL generators draw from: a champion pool, items, spells, runes, queues.

A representative subset, not the full Data Dragon: enough variety for realistic payloads.
"""

from __future__ import annotations

CHAMPIONS: tuple[tuple[int, str], ...] = (
    (1, "Annie"), (2, "Olaf"), (3, "Galio"), (4, "TwistedFate"), (5, "XinZhao"), (6, "Urgot"),
    (7, "Leblanc"), (8, "Vladimir"), (9, "Fiddlesticks"), (10, "Kayle"), (11, "MasterYi"),
    (12, "Alistar"), (13, "Ryze"), (14, "Sion"), (15, "Sivir"), (16, "Soraka"), (17, "Teemo"),
    (18, "Tristana"), (19, "Warwick"), (20, "Nunu"), (21, "MissFortune"), (22, "Ashe"),
    (23, "Tryndamere"), (24, "Jax"), (25, "Morgana"), (26, "Zilean"), (27, "Singed"),
    (28, "Evelynn"), (29, "Twitch"), (30, "Karthus"), (31, "Chogath"), (32, "Amumu"),
    (33, "Rammus"), (34, "Anivia"), (35, "Shaco"), (36, "DrMundo"), (37, "Sona"), (38, "Kassadin"),
    (39, "Irelia"), (40, "Janna"), (41, "Gangplank"), (42, "Corki"), (43, "Karma"), (44, "Taric"),
    (45, "Veigar"), (48, "Trundle"), (50, "Swain"), (51, "Caitlyn"), (53, "Blitzcrank"),
    (54, "Malphite"), (55, "Katarina"), (56, "Nocturne"), (57, "Maokai"), (58, "Renekton"),
    (59, "JarvanIV"), (60, "Elise"), (61, "Orianna"), (62, "MonkeyKing"), (63, "Brand"),
    (64, "LeeSin"), (67, "Vayne"), (68, "Rumble"), (69, "Cassiopeia"), (72, "Skarner"),
    (74, "Heimerdinger"), (75, "Nasus"), (76, "Nidalee"), (77, "Udyr"), (78, "Poppy"),
    (79, "Gragas"), (80, "Pantheon"), (81, "Ezreal"), (82, "Mordekaiser"), (83, "Yorick"),
    (84, "Akali"), (85, "Kennen"), (86, "Garen"), (89, "Leona"), (90, "Malzahar"), (91, "Talon"),
    (92, "Riven"), (96, "KogMaw"), (98, "Shen"), (99, "Lux"), (101, "Xerath"), (102, "Shyvana"),
    (103, "Ahri"), (104, "Graves"), (105, "Fizz"), (106, "Volibear"), (107, "Rengar"),
    (110, "Varus"), (111, "Nautilus"), (112, "Viktor"), (113, "Sejuani"), (114, "Fiora"),
    (115, "Ziggs"), (117, "Lulu"), (119, "Draven"), (120, "Hecarim"), (121, "Khazix"),
    (122, "Darius"), (126, "Jayce"), (127, "Lissandra"), (131, "Diana"), (133, "Quinn"),
    (134, "Syndra"), (136, "AurelionSol"), (141, "Kayn"), (142, "Zoe"), (143, "Zyra"),
    (145, "Kaisa"), (147, "Seraphine"), (150, "Gnar"), (154, "Zac"), (157, "Yasuo"),
    (161, "Velkoz"), (163, "Taliyah"), (164, "Camille"), (166, "Akshan"), (200, "Belveth"),
    (201, "Braum"), (202, "Jhin"), (203, "Kindred"), (221, "Zeri"), (222, "Jinx"),
    (223, "TahmKench"), (233, "Briar"), (234, "Viego"), (235, "Senna"), (236, "Lucian"),
    (238, "Zed"), (240, "Kled"), (245, "Ekko"), (246, "Qiyana"), (254, "Vi"), (266, "Aatrox"),
    (267, "Nami"), (268, "Azir"), (350, "Yuumi"), (360, "Samira"), (412, "Thresh"),
    (420, "Illaoi"), (421, "RekSai"), (427, "Ivern"), (429, "Kalista"), (432, "Bard"),
    (497, "Rakan"), (498, "Xayah"), (516, "Ornn"), (517, "Sylas"), (518, "Neeko"), (523, "Aphelios"),
    (526, "Rell"), (555, "Pyke"), (711, "Vex"), (777, "Yone"), (799, "Ambessa"), (875, "Sett"),
    (876, "Lillia"), (887, "Gwen"), (888, "Renata"), (893, "Aurora"), (895, "Nilah"),
    (897, "KSante"), (901, "Smolder"), (902, "Milio"), (910, "Hwei"), (950, "Naafiri"),
)
CHAMPION_NAME: dict[int, str] = dict(CHAMPIONS)
CHAMPION_IDS: tuple[int, ...] = tuple(c for c, _ in CHAMPIONS)

LEGENDARY_ITEMS = (
    3031, 3033, 3036, 3046, 3071, 3072, 3074, 3078, 3085, 3087, 3089, 3091, 3094, 3100, 3102,
    3115, 3116, 3135, 3139, 3142, 3143, 3153, 3157, 3161, 3165, 3181, 3190, 3222, 3504, 3508,
    3742, 3748, 3814, 4005, 4628, 4629, 4645, 4646, 6333, 6609, 6610, 6653, 6655, 6657, 6662,
    6665, 6672, 6673, 6675, 6676, 6692, 6694, 6695, 6697, 6699, 6701,
)
BOOTS = (3006, 3009, 3020, 3047, 3111, 3158)
COMPONENTS = (1001, 1018, 1026, 1027, 1028, 1029, 1031, 1036, 1037, 1038, 1042, 1052, 1053, 1058,
              2031, 2055, 3044, 3057, 3067, 3076, 3077, 3082, 3086, 3108, 3133, 3134, 3145, 3802)
STARTERS = (1054, 1055, 1056, 1082, 1083, 2003, 3850, 3854, 3858, 3862, 3865, 1101, 1102, 1103)
TRINKETS = (3340, 3363, 3364)

SUMMONER_SPELLS = (4, 14, 12, 7, 6, 3, 11, 21, 1)  # flash first: nearly everybody takes it
SPELL_BY_POSITION: dict[str, tuple[int, int]] = {
    "TOP": (4, 12), "JUNGLE": (4, 11), "MIDDLE": (4, 14), "BOTTOM": (4, 7), "UTILITY": (4, 3),
}

# style -> (keystones, row 1, row 2, row 3)
RUNE_TREES: dict[int, tuple[tuple[int, ...], ...]] = {
    8000: ((8005, 8008, 8021, 8010), (9101, 9111, 8009), (9104, 9105, 9103), (8014, 8017, 8299)),
    8100: ((8112, 8128, 9923), (8126, 8139, 8143), (8137, 8140, 8141), (8135, 8105, 8106)),
    8200: ((8214, 8229, 8230), (8224, 8226, 8275), (8210, 8234, 8233), (8237, 8232, 8236)),
    8300: ((8351, 8360, 8369), (8306, 8304, 8321), (8313, 8352, 8345), (8347, 8410, 8316)),
    8400: ((8437, 8439, 8465), (8446, 8463, 8401), (8429, 8444, 8473), (8451, 8453, 8242)),
}
STAT_PERKS = ((5005, 5008, 5007), (5008, 5010, 5001), (5011, 5013, 5001))  # offense, flex, defense

POSITIONS = ("TOP", "JUNGLE", "MIDDLE", "BOTTOM", "UTILITY")
LANE_OF = {"TOP": "TOP", "JUNGLE": "JUNGLE", "MIDDLE": "MIDDLE", "BOTTOM": "BOTTOM", "UTILITY": "BOTTOM"}
ROLE_OF = {"TOP": "SOLO", "JUNGLE": "NONE", "MIDDLE": "SOLO", "BOTTOM": "CARRY", "UTILITY": "SUPPORT"}

# queueId -> (mapId, gameMode, gameType)
QUEUES: dict[int, tuple[int, str, str]] = {
    0: (11, "CLASSIC", "CUSTOM_GAME"),
    400: (11, "CLASSIC", "MATCHED_GAME"),
    420: (11, "CLASSIC", "MATCHED_GAME"),
    430: (11, "CLASSIC", "MATCHED_GAME"),
    440: (11, "CLASSIC", "MATCHED_GAME"),
    450: (12, "ARAM", "MATCHED_GAME"),
    490: (11, "CLASSIC", "MATCHED_GAME"),
    900: (11, "URF", "MATCHED_GAME"),
    1700: (30, "CHERRY", "MATCHED_GAME"),
    1900: (11, "URF", "MATCHED_GAME"),
}
# What ``type=`` means at match-v5, and the mix a player's history is drawn from.
QUEUES_BY_TYPE: dict[str, tuple[int, ...]] = {
    "ranked": (420, 440),
    "normal": (400, 430, 450, 490, 900, 1700, 1900),
    "tourney": (0,),
    "tutorial": (),
}
HISTORY_MIX: tuple[tuple[int, float], ...] = ((420, 0.45), (440, 0.12), (400, 0.1), (490, 0.1),
                                              (450, 0.18), (1700, 0.03), (900, 0.02))

GAME_VERSIONS = ("15.10.678.3470", "15.11.685.5125", "15.12.692.4180", "15.13.694.2051")
