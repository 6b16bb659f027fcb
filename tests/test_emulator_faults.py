"""Fault injection, as an httpx client sees it: scripts, random faults, latency, timeouts, resets."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from pyot_django.testing import RunningEmulator, serve_emulator
from pyot_django.testing.faults import parse_action
from tests.helpers import puuid
from tests.hostile_server import HostileServer, closed_port

KEY = {"X-Riot-Token": "RGAPI-test"}
SUMMONER = f"/na1/lol/summoner/v4/summoners/by-puuid/{puuid('p-1')}"  # Riot's 78-char shape
MATCH = "/americas/lol/match/v5/matches/NA1_1"


# Both HTTP implementations uvicorn may pick: transport faults must work on each.
@pytest.fixture(scope="module", params=["h11", "httptools"])
def running(request: pytest.FixtureRequest) -> Iterator[RunningEmulator]:
    with serve_emulator(http=request.param, enforce_limits=False) as server:
        yield server


@pytest.fixture
def emu(running: RunningEmulator) -> RunningEmulator:
    running.emulator.reset(config=True)
    return running


@pytest.fixture
def client(running: RunningEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=running.url, timeout=10) as http:
        yield http


def test_script_in_order_then_normal(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("summoner-v4.getByPUUID", [503, 503, 200])
    statuses = [client.get(SUMMONER, headers=KEY).status_code for _ in range(4)]
    assert statuses == [503, 503, 200, 200]
    response = client.get(SUMMONER, headers=KEY)
    assert response.json()["puuid"] == puuid("p-1")


def test_operation_script_before_wildcard_and_other_operations_untouched(
    emu: RunningEmulator, client: httpx.Client
) -> None:
    emu.emulator.script("*", [502])
    emu.emulator.script("match-v5.getMatch", [504])
    assert client.get(MATCH, headers=KEY).status_code == 504
    assert client.get(MATCH, headers=KEY).status_code == 502
    assert client.get(MATCH, headers=KEY).status_code == 200
    emu.emulator.script("match-v5.getMatch", [500])
    assert client.get(SUMMONER, headers=KEY).status_code == 200
    assert emu.emulator.stats()["scripts_pending"] == {"match-v5.getMatch": 1}


def test_scripted_429_variants(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script(
        "*",
        [
            429,
            {"status": 429, "retry_after": 2, "type": "service"},
            {"status": 429, "retry_after": None},
            {"status": 429, "type": "unknownType", "retry_after": None},
        ],
    )
    responses = [client.get(SUMMONER, headers=KEY) for _ in range(4)]
    assert [r.status_code for r in responses] == [429] * 4
    assert [r.headers.get("x-rate-limit-type") for r in responses] == ["service", "service", "service", "unknownType"]
    assert [r.headers.get("retry-after") for r in responses] == ["1", "2", None, None]
    assert responses[0].json()["status"]["status_code"] == 429
    assert emu.emulator.stats()["rate_limited"] == {"application": 0, "method": 0, "service": 3, "unknownType": 1}


def test_scripted_body_and_delay(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [{"status": 200, "body": {"custom": True}, "delay": 0.3}, {"status": 404}])
    started = time.monotonic()
    response = client.get(SUMMONER, headers=KEY)
    assert time.monotonic() - started >= 0.3
    assert response.json() == {"custom": True}
    assert client.get(SUMMONER, headers=KEY).status_code == 404


def test_reset_is_a_transport_error(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [{"fault": "reset"}])
    with pytest.raises(httpx.TransportError):
        client.get(SUMMONER, headers=KEY)
    assert client.get(SUMMONER, headers=KEY).status_code == 200  # the next request is served
    stats = emu.emulator.stats()
    assert stats["faults"] == {"reset": 1}
    assert [entry["status"] for entry in stats["log"]] == [0, 200]


def test_malformed_json(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [{"fault": "malformed"}])
    response = client.get(MATCH, headers=KEY)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json;charset=utf-8"
    with pytest.raises(ValueError):
        response.json()
    assert response.content.startswith(b'{"metadata"')
    assert emu.emulator.stats()["faults"] == {"malformed": 1}


def test_timeout_until_the_client_gives_up(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [{"fault": "timeout"}])
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        client.get(SUMMONER, headers=KEY, timeout=0.5)
    assert 0.4 <= time.monotonic() - started < 5
    assert client.get(SUMMONER, headers=KEY).status_code == 200


def test_timeout_is_capped(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.configure(timeout_cap=0.3)
    emu.emulator.script("*", [{"fault": "timeout"}])
    response = client.get(SUMMONER, headers=KEY, timeout=10)
    assert response.status_code == 504


def test_latency(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.configure(latency=0.2)
    started = time.monotonic()
    client.get(SUMMONER, headers=KEY)
    assert time.monotonic() - started >= 0.2
    emu.emulator.configure(latency=(0.1, 0.15))
    started = time.monotonic()
    client.get(SUMMONER, headers=KEY)
    assert time.monotonic() - started >= 0.1


def test_random_faults_are_seeded(emu: RunningEmulator, client: httpx.Client) -> None:
    def run() -> list[int]:
        emu.emulator.reset()
        return [client.get(SUMMONER, headers=KEY).status_code for _ in range(60)]

    emu.emulator.configure(error_rate=0.3, service_429_rate=0.2, seed=7)
    first = run()
    assert first == run()  # same seed, same sequence
    assert set(first) <= {200, 429, 500, 502, 503, 504}
    assert 200 in first and 429 in first and set(first) & {500, 502, 503, 504}
    emu.emulator.configure(seed=8)
    assert run() != first


def test_random_transport_faults(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.configure(reset_rate=0.3, malformed_rate=0.3, seed=3)
    outcomes = set()
    for _ in range(40):
        try:
            response = client.get(SUMMONER, headers=KEY)
        except httpx.TransportError:
            outcomes.add("reset")
            continue
        try:
            response.json()
            outcomes.add("ok")
        except ValueError:
            outcomes.add("malformed")
    assert outcomes == {"ok", "reset", "malformed"}


def test_random_service_429_without_retry_after(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.configure(service_429_rate=1.0, service_429_retry_after=None, service_429_type="unknownType")
    response = client.get(SUMMONER, headers=KEY)
    assert response.status_code == 429
    assert response.headers["x-rate-limit-type"] == "unknownType"
    assert "retry-after" not in response.headers


def test_faults_change_at_runtime_over_http(emu: RunningEmulator, client: httpx.Client) -> None:
    client.post("/_emulator/config", json={"error_rate": 1.0, "error_statuses": [502]}).raise_for_status()
    assert client.get(SUMMONER, headers=KEY).status_code == 502
    client.post("/_emulator/config", json={"error_rate": 0.0}).raise_for_status()
    assert client.get(SUMMONER, headers=KEY).status_code == 200


def test_scripts_wait_behind_auth_and_limits(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [503])
    assert client.get(SUMMONER).status_code == 401  # refused before the script
    assert client.get(SUMMONER, headers=KEY).status_code == 503


def test_bad_script_entries() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        parse_action({"fault": "explode"})
    with pytest.raises(ValueError, match="unknown script entry key"):
        parse_action({"stauts": 500})
    assert parse_action(503).status == 503


# -- hostile upstreams (issue 9): every one bounded in wall time --------------------------------

HOSTILE_RETRY_AFTER = ["1e9", "inf", "-5", "abc", "", "Wed, 21 Oct 2065 07:28:00 GMT", 7, 2.5]


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_sent_verbatim_on_429_and_503(emu: RunningEmulator, client: httpx.Client, status: int) -> None:
    emu.emulator.script("*", [{"status": status, "retry_after": value} for value in HOSTILE_RETRY_AFTER])
    responses = [client.get(SUMMONER, headers=KEY) for _ in HOSTILE_RETRY_AFTER]
    assert [r.status_code for r in responses] == [status] * len(HOSTILE_RETRY_AFTER)
    assert [r.headers.get("retry-after") for r in responses] == [str(v) for v in HOSTILE_RETRY_AFTER]
    assert responses[0].json()["status"]["status_code"] == status
    plain = client.get(SUMMONER, headers=KEY)
    assert plain.status_code == 200 and "retry-after" not in plain.headers


def test_a_bare_503_has_no_retry_after(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [503, {"status": 429, "retry_after": None}])
    assert "retry-after" not in client.get(SUMMONER, headers=KEY).headers
    response = client.get(SUMMONER, headers=KEY)
    assert response.status_code == 429 and "retry-after" not in response.headers


def test_random_429_retry_after_may_be_garbage(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.configure(service_429_rate=1.0, service_429_retry_after="inf")
    assert client.get(SUMMONER, headers=KEY).headers["retry-after"] == "inf"


@pytest.mark.parametrize(
    ("fault", "expected"),
    [("empty", b""), ("null", b"null")],
)
def test_empty_and_null_bodies(emu: RunningEmulator, client: httpx.Client, fault: str, expected: bytes) -> None:
    emu.emulator.script("summoner-v4.getByPUUID", [{"fault": fault}])
    response = client.get(SUMMONER, headers=KEY)
    assert response.status_code == 200 and response.content == expected
    assert response.headers["content-length"] == str(len(expected))
    assert emu.emulator.stats()["faults"] == {fault: 1}


def test_wrong_type_body_is_an_array_where_an_object_is_due(emu: RunningEmulator, client: httpx.Client) -> None:
    ids = f"/americas/lol/match/v5/matches/by-puuid/{puuid('p-1')}/ids"
    emu.emulator.script("*", [{"fault": "wrong_type"}, {"fault": "wrong_type"}])
    wrapped = client.get(SUMMONER, headers=KEY).json()
    assert isinstance(wrapped, list) and wrapped[0]["puuid"] == puuid("p-1")
    as_object = client.get(ids, headers=KEY).json()
    assert isinstance(as_object, dict) and isinstance(as_object["items"], list)


def test_raw_body_verbatim(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [{"raw": '{"truncated": '}, {"status": 503, "raw": ""}])
    assert client.get(SUMMONER, headers=KEY).content == b'{"truncated": '
    response = client.get(SUMMONER, headers=KEY)
    assert response.status_code == 503 and response.content == b""


def test_times_repeats_an_entry_for_the_next_requests(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("summoner-v4.getByPUUID", [{"fault": "null", "times": 3}, 503])
    assert [client.get(SUMMONER, headers=KEY).content for _ in range(3)] == [b"null"] * 3
    assert client.get(SUMMONER, headers=KEY).status_code == 503
    assert client.get(SUMMONER, headers=KEY).json()["puuid"] == puuid("p-1")


def test_reset_mid_body(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [{"fault": "reset_body"}])
    started = time.monotonic()
    with client.stream("GET", MATCH, headers=KEY) as response:
        assert response.status_code == 200
        promised = int(response.headers["content-length"])
        received = bytearray()
        with pytest.raises(httpx.RemoteProtocolError):
            for chunk in response.iter_raw():
                received += chunk
    assert 0 < len(received) < promised
    assert time.monotonic() - started < 5
    assert client.get(MATCH, headers=KEY).status_code == 200
    assert emu.emulator.stats()["faults"] == {"reset_body": 1}


def _read_for(sock, seconds: float) -> bytes:
    """What arrives on ``sock`` within ``seconds``."""
    received = bytearray()
    ends = time.monotonic() + seconds
    while (left := ends - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        if not chunk:
            break
        received += chunk
    return bytes(received)


def _raw_get(running: RunningEmulator, path: str):
    import socket

    sock = socket.create_connection((running.host, running.port), timeout=5)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nX-Riot-Token: RGAPI-test\r\n\r\n".encode())
    return sock


def test_drip_headers_one_byte_at_a_time(emu: RunningEmulator, running: RunningEmulator) -> None:
    emu.emulator.script("*", [{"fault": "drip_headers", "interval": 0.1}])
    with _raw_get(running, SUMMONER) as sock:
        early = _read_for(sock, 0.75)
    # ~7 bytes by now: the status line is not even complete, yet no read ever waited 0.2 s.
    assert 2 <= len(early) <= 12, early
    assert b"HTTP/1.1 200 OK".startswith(early)


def test_drip_headers_completes_into_a_valid_answer(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [{"fault": "drip_headers", "interval": 0.002}])
    started = time.monotonic()
    response = client.get(SUMMONER, headers=KEY)
    elapsed = time.monotonic() - started
    assert response.status_code == 200 and response.json()["puuid"] == puuid("p-1")
    assert "x-app-rate-limit" in response.headers
    assert 0.2 < elapsed < 20  # >100 header bytes, 2 ms each
    assert client.get(SUMMONER, headers=KEY).status_code == 200
    assert emu.emulator.stats()["faults"] == {"drip_headers": 1}


def test_drip_body_headers_at_once_then_a_byte_per_interval(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [{"fault": "drip_body", "interval": 0.2}])
    started = time.monotonic()
    with client.stream("GET", SUMMONER, headers=KEY, timeout=httpx.Timeout(5, read=3)) as response:
        assert time.monotonic() - started < 2  # the headers are not dripped
        assert int(response.headers["content-length"]) > 50
        pieces = []
        for chunk in response.iter_raw():
            pieces.append(chunk)
            if len(pieces) == 4:
                break
    assert all(len(piece) == 1 for piece in pieces), pieces
    assert 0.5 < time.monotonic() - started < 10  # three gaps of 0.2 s
    assert client.get(SUMMONER, headers=KEY).status_code == 200  # served while the emulator notices


def test_drip_body_completes_into_the_generated_payload(emu: RunningEmulator, client: httpx.Client) -> None:
    expected = client.get(SUMMONER, headers=KEY).json()
    emu.emulator.script("*", [{"fault": "drip_body", "interval": 0.001}])
    assert client.get(SUMMONER, headers=KEY).json() == expected


def test_drip_stops_at_the_timeout_cap(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.configure(timeout_cap=0.5)
    emu.emulator.script("*", [{"fault": "drip_body", "interval": 0.1}])
    started = time.monotonic()
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(SUMMONER, headers=KEY)
    assert time.monotonic() - started < 5


def test_oversized_body_is_valid_json_of_the_asked_size(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [{"fault": "oversized", "size": 3_000_017}])
    response = client.get(MATCH, headers=KEY)
    assert response.headers["transfer-encoding"] == "chunked" and "content-length" not in response.headers
    assert len(response.content) == 3_000_017
    assert set(response.json()) == {"padding"}


def test_300_mb_body_is_streamed_never_held(emu: RunningEmulator, client: httpx.Client) -> None:
    import resource

    emu.emulator.script("*", [{"fault": "oversized"}])  # the default: 300 MB
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    total = 0
    with client.stream("GET", MATCH, headers=KEY, timeout=30) as response:
        for chunk in response.iter_raw():
            total += len(chunk)  # counted, not kept
    elapsed = time.monotonic() - started
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert total == 300_000_000
    assert elapsed < 120
    assert grown_mb < 100, f"peak RSS grew {grown_mb:.0f} MB while streaming 300 MB"


def test_oversized_stops_when_the_client_leaves(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [{"fault": "oversized", "size": 10**11}])  # 100 GB
    started = time.monotonic()
    with client.stream("GET", MATCH, headers=KEY) as response:
        for index, _chunk in enumerate(response.iter_raw()):
            if index == 50:
                break
    assert client.get(MATCH, headers=KEY).status_code == 200
    assert time.monotonic() - started < 10


def test_oversized_with_an_honest_content_length(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [{"fault": "oversized", "size": 300_000_000, "content_length": True}])
    with client.stream("GET", MATCH, headers=KEY) as response:
        assert response.headers["content-length"] == "300000000"
    assert client.get(MATCH, headers=KEY).status_code == 200


def test_oversized_with_a_lying_content_length(emu: RunningEmulator, client: httpx.Client) -> None:
    emu.emulator.script("*", [{"fault": "oversized", "size": 300_000_000, "content_length": 1000}])
    started = time.monotonic()
    response = client.get(MATCH, headers=KEY)
    assert response.headers["content-length"] == "1000"
    assert response.content.startswith(b'{"padding":"xxx') and len(response.content) == 1000
    with pytest.raises(ValueError):
        response.json()
    assert client.get(MATCH, headers=KEY).status_code == 200
    assert time.monotonic() - started < 10


def test_hostile_entries_over_the_control_api(emu: RunningEmulator, client: httpx.Client) -> None:
    entries = [{"status": 503, "retry_after": "1e9"}, {"fault": "null", "times": 2}, {"fault": "empty"}]
    client.post("/_emulator/script", json={"operation": "summoner-v4.getByPUUID", "responses": entries})
    assert emu.emulator.stats()["scripts_pending"] == {"summoner-v4.getByPUUID": 4}
    first = client.get(SUMMONER, headers=KEY)
    assert (first.status_code, first.headers["retry-after"]) == (503, "1e9")
    assert [client.get(SUMMONER, headers=KEY).content for _ in range(3)] == [b"null", b"null", b""]
    bad = client.post("/_emulator/script", json={"responses": [{"fault": "drip_body", "interval": -1}]})
    assert bad.status_code == 400 and "interval" in bad.json()["status"]["message"]


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"fault": "drip_body", "interval": 0}, "interval"),
        ({"fault": "drip_body", "interval": float("inf")}, "interval"),
        ({"fault": "oversized", "size": "big"}, "size"),
        ({"fault": "oversized", "content_length": -1}, "content_length"),
        ({"status": 429, "retry_after": "1\r\nX-Injected: 1"}, "retry_after"),
        ({"status": 429, "retry_after": [1]}, "retry_after"),
        ({"fault": "null", "times": 0}, "times"),
        ({"status": True}, "status"),
        ({"raw": 5}, "raw"),
    ],
)
def test_bad_hostile_entries_are_refused(emu: RunningEmulator, entry: dict, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        emu.emulator.script("*", [503, entry])
    assert emu.emulator.stats()["scripts_pending"] == {}  # nothing queued from a bad batch


def test_the_plugin_fixture_scripts_hostile_answers(riot_emulator: RunningEmulator) -> None:
    riot_emulator.emulator.script("summoner-v4.getByPUUID", [{"fault": "wrong_type"}])
    with httpx.Client(base_url=riot_emulator.url, timeout=10) as http:
        assert isinstance(http.get(SUMMONER, headers=KEY).json(), list)


# -- the raw hostile server of the tests (what no ASGI app can play) ---------------------------


@pytest.mark.parametrize(
    ("behaviour", "error"),
    [
        ("rst", httpx.TransportError),  # RST: ReadError or ConnectError, by timing
        ("close", httpx.RemoteProtocolError),
        ("garbage", httpx.RemoteProtocolError),
    ],
)
def test_hostile_server_fails_below_http(behaviour: str, error: type[Exception]) -> None:
    with HostileServer(behaviour) as server:
        started = time.monotonic()
        with pytest.raises(error):
            httpx.get(f"{server.url}/na1/x", timeout=5)
        assert time.monotonic() - started < 5
        assert server.connections >= 1


def test_hostile_server_silent_and_drip_outlast_a_read_timeout() -> None:
    with HostileServer("silent") as server, pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{server.url}/na1/x", timeout=0.3)
    with HostileServer("drip", interval=0.002) as server:
        response = httpx.get(f"{server.url}/na1/x", timeout=httpx.Timeout(5, read=0.5))
        assert response.json() == {"puuid": "p1"}  # every byte arrived well within a read timeout


def test_closed_port_refuses() -> None:
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{closed_port()}/", timeout=5)


def test_a_separate_emulator_process_takes_hostile_scripts() -> None:
    from pyot_django.testing import serve_emulator_process

    with serve_emulator_process(args=["--no-limits"]) as process:
        assert process.script("summoner-v4.getByPUUID", [{"status": 503, "retry_after": "inf", "times": 2}]) == {
            "summoner-v4.getByPUUID": 2
        }
        with httpx.Client(base_url=process.url, timeout=10) as http:
            answers = [http.get(SUMMONER, headers=KEY) for _ in range(3)]
        assert [(a.status_code, a.headers.get("retry-after")) for a in answers] == [(503, "inf")] * 2 + [(200, None)]
        with pytest.raises(ValueError, match="unknown fault"):
            process.script("*", [{"fault": "explode"}])
