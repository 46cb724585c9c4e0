"""One way to run the project's local servers (the emulator, the preview) in the background.

A server is a ``python -m <package> serve ...`` child with a PID file and a log in its state folder. ``start``
is safe to call twice (it waits for the one already running), ``stop`` sends SIGTERM and then SIGKILL, and the
PID file is removed whatever happens, so a crashed server never blocks the next start.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def exited(pid: int) -> bool:
    """True when the process has exited but was not reaped yet (a zombie still answers kill -0). Its parent, the
    ``start`` that spawned it, is gone, and a container's PID 1 may reap late or never: stop would wait for it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no /proc (not Linux), or gone meanwhile: kill -0 decides
        return False
    return stat.rpartition(")")[2].split()[0] == "Z"


@dataclass(frozen=True)
class BackgroundServer:
    name: str  # as printed: "emulator", "preview"
    state_dir: Path  # holds ``pid`` and ``server.log``
    ready: Callable[[], bool]  # True once the server answers
    describe: Callable[[int], str]  # what "running ..." prints for a pid

    @property
    def pid_file(self) -> Path:
        return self.state_dir / "pid"

    def running_pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text())
            os.kill(pid, 0)
        except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
            return None
        return None if exited(pid) else pid

    def wait(self, process: subprocess.Popen[bytes] | None, pid: int, timeout: float) -> int:
        """0 once the server answers; 1 if it exits or does not answer in time (its log is named)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                print(f"{self.name} exited with {process.returncode}; see {self.state_dir / 'server.log'}",
                      file=sys.stderr)
                return 1
            if self.ready():
                print(f"{self.name} {'running' if process else 'already running'} at {self.describe(pid)}")
                return 0
            time.sleep(0.1)
        print(f"{self.name} did not answer within {timeout:.0f}s; see {self.state_dir / 'server.log'}",
              file=sys.stderr)
        return 1

    def start(self, argv: list[str], cwd: Path, timeout: float, taken: Callable[[], int | None]) -> int:
        """Start ``python -m <argv>``; ``taken()`` names a port answered by a process this script did not start."""
        pid = self.running_pid()
        if pid:  # ours: already serving, or still starting up
            return self.wait(None, pid, timeout)
        port = taken()
        if port is not None:
            print(f"port {port} is taken by a process this script did not start", file=sys.stderr)
            return 1
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with (self.state_dir / "server.log").open("ab") as log:
            process = subprocess.Popen([sys.executable, "-m", *argv], cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        self.pid_file.write_text(str(process.pid))
        status = self.wait(process, process.pid, timeout)
        if status:
            if process.poll() is None:
                process.kill()
            self.pid_file.unlink(missing_ok=True)
        return status

    def stop(self) -> int:
        pid = self.running_pid()
        if pid is None:
            print(f"{self.name} not running")
            return 0
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if self.running_pid() is None:
                break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        print(f"{self.name} stopped (pid {pid})")
        return 0

    def status(self) -> int:
        pid = self.running_pid()
        if pid and self.ready():
            print(f"running at {self.describe(pid)}")
            return 0
        print("not running")
        return 3


def free_ports(count: int) -> list[int]:
    """``count`` distinct TCP ports nobody listens on now (held open together, so never the same one twice)."""
    with contextlib.ExitStack() as stack:
        probes = [stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) for _ in range(count)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]


def free_port() -> int:
    """A TCP port nobody listens on now: each test's server gets its own, so suites and checkouts never collide."""
    return free_ports(1)[0]
