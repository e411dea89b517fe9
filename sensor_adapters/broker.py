"""A private Mosquitto broker with Zhiwang's configuration, for tests, benchmarks and offline demos.

The machine's own broker may run with Mosquitto's defaults (max_queued_messages 1000,
max_inflight_messages 20), under which a QoS 1 flood to a busy subscriber is mostly dropped.
:class:`LocalBroker` starts ``mosquitto`` on a loopback port with the limits of
installer/mosquitto-zhiwang.conf and, when asked, persistence in a directory of its own (so a
restart keeps queued messages and sessions).
"""

from __future__ import annotations

import getpass
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

__all__ = ["LocalBroker", "BrokerUnavailable", "free_port", "DEPLOYMENT_CONF"]

DEPLOYMENT_CONF = Path(__file__).resolve().parent.parent / "installer" / "mosquitto-zhiwang.conf"
# Used when the installer's file is not next to the package (an installed wheel).
_FALLBACK_LIMITS = "max_queued_messages 200000\nmax_inflight_messages 1000\n"
_OWN_KEYS = ("listener", "port", "persistence", "persistence_location", "autosave_", "log_dest",
             "pid_file", "user", "allow_anonymous")  # fmt: skip


class BrokerUnavailable(RuntimeError):
    """mosquitto is not installed or did not start."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class LocalBroker:
    """``mosquitto`` on 127.0.0.1:``port`` with the deployment limits.

    ``persistent`` keeps the broker's database in ``workdir`` across :meth:`restart` (Mosquitto
    writes it on a clean shutdown, SIGTERM, and every ``autosave_interval`` seconds).
    """

    def __init__(
        self,
        port: int | None = None,
        *,
        persistent: bool = False,
        workdir: str | os.PathLike | None = None,
        conf: str | os.PathLike = DEPLOYMENT_CONF,
        executable: str | None = None,
    ):
        exe = executable or shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        if not Path(exe).exists():
            raise BrokerUnavailable("mosquitto is not installed (apt install mosquitto)")
        self.executable = exe
        self.port = port or free_port()
        self.persistent = persistent
        self._own_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="zhiwang-mosquitto-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.conf_path = self.workdir / "mosquitto.conf"
        self.log_path = self.workdir / "mosquitto.log"
        self._conf_source = Path(conf)
        self.process: subprocess.Popen | None = None
        self._write_conf()

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def _write_conf(self) -> None:
        if self._conf_source.exists():
            lines = [
                line
                for line in self._conf_source.read_text().splitlines()
                if not line.strip().startswith(_OWN_KEYS)
            ]
            base = "\n".join(lines) + "\n"
        else:
            base = _FALLBACK_LIMITS
        own = [f"listener {self.port} 127.0.0.1", "allow_anonymous true"]
        if self.persistent:
            own += [
                "persistence true",
                f"persistence_location {self.workdir}/",
                "autosave_interval 1",
            ]
        else:
            own.append("persistence false")
        own.append(f"log_dest file {self.log_path}")
        if os.geteuid() == 0:
            own.append(f"user {getpass.getuser()}")  # no privilege drop: keep our workdir ours
        self.conf_path.write_text(base + "\n".join(own) + "\n")

    def start(self, timeout: float = 10.0) -> LocalBroker:
        if self.process is not None and self.process.poll() is None:
            return self
        self.process = subprocess.Popen(
            [self.executable, "-c", str(self.conf_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while not _port_open(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.log_path.read_text() if self.log_path.exists() else ""
                self.stop()
                raise BrokerUnavailable(
                    f"mosquitto did not start on port {self.port}: {log[-500:]}"
                )
            time.sleep(0.05)
        return self

    def stop(self, graceful: bool = True, timeout: float = 10.0) -> None:
        """SIGTERM (Mosquitto saves its persistence database) or SIGKILL (a crash)."""
        proc = self.process
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM if graceful else signal.SIGKILL)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.process = None

    def restart(self, down_for: float = 0.5) -> None:
        self.stop()
        time.sleep(down_for)
        self.start()

    def close(self) -> None:
        """Stop the broker and delete the working directory it made for itself."""
        self.stop()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> LocalBroker:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
