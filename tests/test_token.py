import subprocess
import sys

from pyot_django.pipeline import PipelineToken


def test_equal_and_hashable_by_value_independent_of_dict_order():
    a = PipelineToken("lol", "na1", "match-v5.getMatchIdsByPUUID", {"puuid": "x"}, {"start": 0, "count": 20})
    b = PipelineToken("LOL", "NA1", "match-v5.getMatchIdsByPUUID", {"puuid": "x"}, {"count": 20, "start": 0})
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert a != PipelineToken("lol", "na1", "match-v5.getMatchIdsByPUUID", {"puuid": "x"}, {"count": 21, "start": 0})


def test_stringify_is_safe_for_memcached():
    token = PipelineToken("lol", "kr", "account-v1.getByRiotId", {"gameName": "Hide on bush", "tagLine": "명예"}, {})
    key = token.stringify
    assert " " not in key
    assert key.isascii() and key.isprintable()
    long = PipelineToken("lol", "na1", "match-v5.getMatchIdsByPUUID", {"puuid": "x" * 300}, {"queue": 420})
    assert len(long.stringify) <= 180
    assert long.stringify != PipelineToken("lol", "na1", "match-v5.getMatchIdsByPUUID", {"puuid": "x" * 301}).stringify


def test_list_queries_keep_their_order_and_none_is_dropped():
    a = PipelineToken("lol", "na1", "m", {}, {"a": [1, 2], "b": None})
    assert a.stringify == "lol:na1:m:?a=1&a=2"


def test_stringify_is_the_same_in_another_process():
    code = (
        "from pyot_django.pipeline.token import PipelineToken;"
        "print(PipelineToken('lol','na1','m',{'b':2,'a':'x y'},{'q':[3,1]}).stringify)"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert other == PipelineToken("lol", "na1", "m", {"a": "x y", "b": 2}, {"q": [3, 1]}).stringify
