"""The benchmark's server takes a free port, and a taken BENCH_PORT is said plainly (issue 15)."""

import socket

import pytest

from bench import run


def test_without_bench_port_a_free_port_is_taken(monkeypatch):
    monkeypatch.delenv("BENCH_PORT", raising=False)
    port = run.free_port()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))  # nothing holds it


def test_a_taken_bench_port_is_refused_with_a_clear_message(monkeypatch):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        monkeypatch.setenv("BENCH_PORT", str(taken))
        with pytest.raises(SystemExit, match=f"BENCH_PORT {taken} is taken"):
            run.free_port()
