"""tools/servers.py: the background-server helper shared by the emulator and the preview."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from servers import BackgroundServer, exited, free_port, free_ports

SLEEPER = ["sleeper"]  # python -m sleeper, written into the test's folder


def sleeper_server(tmp_path: Path, ready) -> BackgroundServer:
    (tmp_path / "sleeper.py").write_text("import time\ntime.sleep(60)\n")
    (tmp_path / "exits.py").write_text("raise SystemExit(7)\n")
    return BackgroundServer("sleeper", tmp_path / "state", ready, lambda pid: f"nowhere (pid {pid})")


def test_start_stop_and_a_stale_pid_file(tmp_path, capsys):
    server = sleeper_server(tmp_path, lambda: True)
    assert server.start(SLEEPER, tmp_path, 5, lambda: None) == 0
    pid = server.running_pid()
    assert pid and "sleeper running at nowhere" in capsys.readouterr().out
    assert server.start(SLEEPER, tmp_path, 5, lambda: None) == 0  # twice: waits for the same one
    assert server.running_pid() == pid and "already running" in capsys.readouterr().out
    assert server.status() == 0
    assert server.stop() == 0 and server.running_pid() is None and not server.pid_file.exists()
    server.pid_file.parent.mkdir(parents=True, exist_ok=True)
    server.pid_file.write_text("999999999")  # a crashed server's leftover
    assert server.running_pid() is None and server.status() == 3
    assert server.stop() == 0 and "sleeper not running" in capsys.readouterr().out


def test_a_server_that_never_answers_is_killed_and_forgotten(tmp_path, capsys):
    server = sleeper_server(tmp_path, lambda: False)
    began = time.monotonic()
    assert server.start(SLEEPER, tmp_path, 0.5, lambda: None) == 1
    assert time.monotonic() - began < 5
    assert "did not answer within" in capsys.readouterr().err and not server.pid_file.exists()


def test_a_port_taken_by_another_process_is_refused(tmp_path, capsys):
    server = sleeper_server(tmp_path, lambda: True)
    assert server.start(SLEEPER, tmp_path, 5, lambda: 4599) == 1
    assert "port 4599 is taken" in capsys.readouterr().err and server.running_pid() is None


def test_a_server_that_exits_names_its_log(tmp_path, capsys):
    server = sleeper_server(tmp_path, lambda: False)
    assert server.start(["exits"], tmp_path, 5, lambda: None) == 1
    assert "exited with 7" in capsys.readouterr().err


def test_free_ports_are_distinct_and_bindable():
    ports = free_ports(5)
    assert len(set(ports)) == 5
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", free_port()))


def test_an_exited_server_not_yet_reaped_counts_as_stopped(tmp_path):
    """A zombie answers kill -0; stop must not wait for a PID 1 that reaps late (or never, in some containers)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while not exited(child.pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert exited(child.pid)  # exited, and not reaped: this test is its parent and has not waited yet
    server = sleeper_server(tmp_path, lambda: True)
    server.pid_file.parent.mkdir(parents=True)
    server.pid_file.write_text(str(child.pid))
    assert server.running_pid() is None
    child.wait()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert not exited(live.pid)
    finally:
        live.kill()
        live.wait()
