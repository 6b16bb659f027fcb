"""Running the emulator: in a background thread of this process, or in a separate process.

``serve_emulator()`` is a context manager for tests; ``serve_emulator_process()`` starts
``python -m pyot_django.testing`` for multi-process benchmarks; the same command
line (shared with ``manage.py pyot_emulator``) serves it in the foreground.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from pyot_django.testing import heap
from pyot_django.testing.app import Emulator
from pyot_django.testing.config import EmulatorConfig
from pyot_django.testing.static.urls import StaticURLs

__all__ = [
    "EmulatorProcess",
    "RunningEmulator",
    "ServedAt",
    "add_arguments",
    "config_from_arguments",
    "main",
    "serve",
    "serve_emulator",
    "serve_emulator_process",
]


class ServedAt:
    """Something answering HTTP on ``host:port``: its ``url``, and the RiotAPI store's ``BASE_URL``."""

    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/{{server}}"


@dataclass(frozen=True)
class RunningEmulator(ServedAt, StaticURLs):
    """An emulator answering on ``url``; ``base_url`` is the RiotAPI store's ``BASE_URL`` form."""

    emulator: Emulator
    host: str
    port: int


class _DropResetNoise(logging.Filter):
    # The "reset" fault leaves a response unfinished on purpose; uvicorn logs that as an error.
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "ASGI callable returned without completing response."


_NOISE_FILTER = _DropResetNoise()


KEEP_ALIVE = 5
"""Seconds the emulator keeps an idle keep-alive connection open (uvicorn's default; Riot's
edge also closes idle ones, after a time it does not publish)."""


def _uvicorn_config(app: Emulator, host: str, port: int, *, http: str = "auto", keep_alive: int = KEEP_ALIVE) -> Any:
    import uvicorn  # an optional dependency: the "emulator" extra

    logging.getLogger("uvicorn.error").addFilter(_NOISE_FILTER)
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=http,  # "auto" picks httptools when installed (uvicorn[standard]), else h11
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_keep_alive=keep_alive,
        # A "timeout" fault holds its connection for up to timeout_cap: do not wait for it on exit.
        timeout_graceful_shutdown=1,
    )


@contextlib.contextmanager
def serve_emulator(
    config: EmulatorConfig | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    http: str = "auto",
    keep_alive: int = KEEP_ALIVE,
    **options: Any,
) -> Iterator[RunningEmulator]:
    """Serve an ``Emulator`` in a background thread (``port=0``: a free port) until exit."""
    import uvicorn

    emulator = Emulator(config, **options)
    # Let uvicorn bind (port 0 = a free port) and read the port back: handing it a pre-bound
    # socket loses TCP_NODELAY on accepted connections, which costs ~40 ms per request.
    server = uvicorn.Server(_uvicorn_config(emulator, host, port, http=http, keep_alive=keep_alive))
    thread = threading.Thread(target=server.run, name="pyot-emulator")
    thread.daemon = True
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the Riot emulator did not start")
            time.sleep(0.005)
        bound_port = server.servers[0].sockets[0].getsockname()[1]
        yield RunningEmulator(emulator, host, bound_port)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def serve(config: EmulatorConfig, host: str, port: int, *, http: str = "auto", keep_alive: int = KEEP_ALIVE) -> None:
    """Serve in the foreground until interrupted (the command line and the management command)."""
    import uvicorn

    emulator = Emulator(config, settle_heap=True)  # this process serves nothing else (heap.py)
    server = uvicorn.Server(_uvicorn_config(emulator, host, port, http=http, keep_alive=keep_alive))
    heap.settle()
    server.run()


# -- command line ---------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options shared by ``python -m pyot_django.testing`` and ``manage.py pyot_emulator``."""
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--app-limits", default="20:1,100:120", help="application limits, Riot's form")
    parser.add_argument("--method-limits", default="2000:10", help="method limits for every operation")
    parser.add_argument("--no-limits", action="store_true", help="count and send headers, never answer 429")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    parser.add_argument("--api-key", action="append", dest="api_keys", help="accept only this key (repeatable)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random faults")
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="serve any id and any routing value of the operation's kind, RSO calls without a Bearer "
        "token (default: refuse them as Riot does)",
    )
    parser.add_argument("--http", default="auto", choices=("auto", "h11", "httptools"))
    parser.add_argument(
        "--keep-alive",
        type=int,
        default=KEEP_ALIVE,
        help=f"seconds an idle keep-alive connection stays open (default {KEEP_ALIVE:g})",
    )


def config_from_arguments(options: dict[str, Any]) -> EmulatorConfig:
    return EmulatorConfig().replace(
        app_limits=options["app_limits"],
        method_limits=options["method_limits"],
        enforce_limits=not options["no_limits"],
        latency=options["latency"],
        api_keys=options.get("api_keys"),
        seed=options["seed"],
        strict=not options.get("lenient", False),
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m pyot_django.testing", description=__doc__)
    add_arguments(parser)
    options = vars(parser.parse_args(argv))
    try:
        import uvicorn  # noqa: F401  (the emulator extra; checked before the banner)
    except ImportError:
        parser.exit(2, 'The Riot API emulator needs uvicorn: pip install "pyot_django[emulator]"\n')
    print(f"Riot API emulator on http://{options['host']}:{options['port']}/{{server}}", flush=True)
    serve(
        config_from_arguments(options),
        options["host"],
        options["port"],
        http=options["http"],
        keep_alive=options["keep_alive"],
    )


# -- separate process -------------------------------------------------------------------------


class EmulatorProcess(ServedAt, StaticURLs):
    """An emulator in its own OS process; steer it over HTTP (``/_emulator/config``, ``/stats``)."""

    def __init__(self, process: subprocess.Popen[bytes], host: str, port: int) -> None:
        self.process = process
        self.host = host
        self.port = port

    def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = httpx.get(f"{self.url}/_emulator/stats").json()
        return stats

    def configure(self, **changes: Any) -> dict[str, Any]:
        config: dict[str, Any] = httpx.post(f"{self.url}/_emulator/config", json=changes).raise_for_status().json()
        return config

    def reset(self, *, config: bool = False) -> None:
        httpx.post(f"{self.url}/_emulator/reset", json={"config": config}).raise_for_status()

    def script(self, operation: str, responses: list[Any]) -> dict[str, int]:
        """Queue answers as ``Emulator.script`` does (see ``faults``); returns the pending counts."""
        body = {"operation": operation, "responses": responses}
        response = httpx.post(f"{self.url}/_emulator/script", json=body)
        if response.status_code == 400:
            raise ValueError(response.json()["status"]["message"])
        pending: dict[str, int] = response.raise_for_status().json()["scripts_pending"]
        return pending

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_emulator_process(
    host: str = "127.0.0.1", port: int = 0, args: Sequence[str] = (), startup_timeout: float = 20.0
) -> EmulatorProcess:
    """Start ``python -m pyot_django.testing`` (``port=0``: a free port) and wait until it answers.

    ``args`` are extra command-line options (``["--no-limits"]``). Use it as a context
    manager, or call ``stop()``.
    """
    if port == 0:
        with socket.socket() as probe:  # a small race, acceptable for benchmarks
            probe.bind((host, 0))
            port = probe.getsockname()[1]
    command = [sys.executable, "-m", "pyot_django.testing", "--host", host, "--port", str(port), *args]
    process = subprocess.Popen(command, env=os.environ.copy(), stdout=subprocess.DEVNULL)
    handle = EmulatorProcess(process, host, port)
    deadline = time.monotonic() + startup_timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the emulator process exited with {process.returncode}")
        try:
            handle.stats()
            return handle
        except httpx.TransportError:
            if time.monotonic() > deadline:
                handle.stop()
                raise RuntimeError("the emulator process did not answer in time") from None
            time.sleep(0.05)


if __name__ == "__main__":
    main()
