"""Live-data benchmark: the simulator at 5,000 readings/s for 60 s through Mosquitto into the
ingest pipeline and the store; optionally with the desktop window open (offscreen) sampling the
latest values at 10 Hz.

    .venv/bin/python bench/live_bench.py [--rate 5000] [--duration 60] [--store URL] [--window]

Prints messages/s stored, lost (acknowledged by the broker - stored - quarantined), the
pipeline's counters, peak memory and memory growth after warm-up, and the sampling cost. With
--window the main window is open offscreen and does the live monitoring itself (desktop.live:
its live service, the marker overlay at 10 Hz, the alarm panel, the status-bar counters), and the
UI frame time (timer tick → overlay painted) is printed. The anchor, measured in the same run (skip with --no-anchor), is the
issue's: a QoS 1 flood to a plain paho subscriber that parses JSON in its callback, once through
a broker with Mosquitto's default limits and once through installer/mosquitto-zhiwang.conf.

The brokers are private Mosquitto processes on spare loopback ports (sensor_adapters.broker); the
store is a fresh demo in bench/out/ unless --store is given.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gis_core.ingest import IngestPipeline  # noqa: E402
from gis_core.store import Store  # noqa: E402
from sensor_adapters.broker import LocalBroker  # noqa: E402
from sensor_adapters.mqtt import MqttAdapter  # noqa: E402

OUT = ROOT / "bench" / "out"


def rss_mb(pid: int | str = "self") -> float:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


def simulate(store_url: str, broker_url: str, rate: float, duration: float) -> subprocess.Popen:
    """The simulator in its own process (its own GIL), as it would run on another machine."""
    return subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "simulate", "sensors", "--store", store_url,
         "--broker", broker_url, "--rate", str(rate), "--duration", str(duration), "--quiet"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def sim_result(proc: subprocess.Popen) -> tuple[int, int, float, str]:
    out = proc.communicate()[0]
    m = re.search(r"published ([\d,]+) readings in ([\d.]+) s .*acknowledged ([\d,]+)", out)
    if not m:
        raise SystemExit(f"simulator failed:\n{out}")
    num = lambda s: int(s.replace(",", ""))  # noqa: E731
    return num(m.group(1)), num(m.group(3)), float(m.group(2)), out.strip()


def prepare_store(url: str | None, buildings: int) -> str:
    if url:
        return url
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "live_bench.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    from gis_core.demo import build_demo

    with Store.init(path) as store:
        build_demo(store, buildings=buildings, seed=7, residents=False)
    return str(path)


def anchor(rate: float, duration: float, store_url: str) -> list[str]:
    """The issue's anchor, behind a broker with Mosquitto's defaults and behind ours: a bare paho
    subscriber parsing JSON in on_message (the issue's set-up), then the ingest pipeline itself —
    whose ``missing`` counter (gaps in the devices' seq) must show what the broker dropped."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    lines = []
    OUT.mkdir(parents=True, exist_ok=True)
    defaults = OUT / "mosquitto-defaults.conf"
    defaults.write_text("# Mosquitto's default limits (max_queued_messages 1000, inflight 20)\n")
    for label, conf in (("Mosquitto defaults", defaults), ("mosquitto-zhiwang.conf", None)):
        for consumer in ("bare paho", "pipeline"):
            broker = (LocalBroker(conf=conf) if conf else LocalBroker()).start()
            got = [0]
            pipeline = adapter = sub = None
            if consumer == "bare paho":
                sub = mqtt.Client(
                    CallbackAPIVersion.VERSION2, client_id="anchor", clean_session=False
                )

                def on_message(_c, _u, msg, got=got):
                    json.loads(msg.payload)
                    got[0] += 1

                subscribed = threading.Event()
                sub.on_message = on_message
                sub.on_subscribe = lambda *a, ev=subscribed: ev.set()
                sub.on_connect = lambda c, *a: c.subscribe("zhiwang/+/sensors/+/state", qos=1)
                sub.connect("127.0.0.1", broker.port)
                sub.loop_start()
                subscribed.wait(10)
            else:
                store = Store.open(store_url)
                pipeline = IngestPipeline(store).start()
                adapter = MqttAdapter(broker.url, pipeline.submit_raw, client_id="anchor-pipe")
                adapter.start()
                adapter.wait_subscribed(10)
            published, acked, seconds, _ = sim_result(
                simulate(store_url, broker.url, rate, duration)
            )
            last, still = -1, 0
            while still < 3:  # until nothing new arrives for 1.5 s
                time.sleep(0.5)
                now = got[0] if pipeline is None else pipeline.counters().received
                still = still + 1 if now == last else 0
                last = now
            extra = ""
            if sub is not None:
                sub.disconnect()
                sub.loop_stop()
            else:
                pipeline.flush()
                adapter.stop()
                pipeline.stop()
                c = pipeline.counters()
                got[0] = c.stored + c.quarantined
                extra = f"  lost {acked - got[0]:>7,}, pipeline counted missing {c.missing:>7,}"
                pipeline.store.close()
            broker.close()
            lines.append(
                f"  {label:<23s} {consumer:<10s} published {acked:>7,} at {acked / seconds:>6,.0f}/s"
                f"  got {got[0]:>7,} ({got[0] / max(acked, 1):6.1%}){extra}"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rate", type=float, default=5000)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--store", help="a store with sensors (default: a fresh demo in bench/out)")
    ap.add_argument("--buildings", type=int, default=3000, help="demo size when no --store")
    ap.add_argument("--window", action="store_true", help="open the desktop window (offscreen)")
    ap.add_argument(
        "--repaint-every-tick",
        action="store_true",
        help="with --window: repaint the whole overlay on every tick, changed or not (worst case)",
    )
    ap.add_argument(
        "--in-process",
        action="store_true",
        help="run the pipeline in this process's threads instead of the live service's child",
    )
    ap.add_argument("--no-anchor", action="store_true")
    ap.add_argument("--anchor-rate", type=float, default=8500)
    ap.add_argument("--anchor-duration", type=float, default=6)
    args = ap.parse_args(argv)

    store_url = prepare_store(args.store, args.buildings)
    store = Store.open(store_url)
    broker = LocalBroker().start()
    adapter = None
    if args.in_process:
        pipeline = IngestPipeline(store).start()
        adapter = MqttAdapter(broker.url, pipeline.submit_raw, client_id="zhiwang-live-bench")
        adapter.start()
        if not adapter.wait_subscribed(10):
            raise SystemExit(f"cannot subscribe: {adapter.status()}")
        child_pid = None
    elif args.window:
        window = open_window(store, broker.url)  # the window's own live monitoring
        window.live.overlay.always_repaint = args.repaint_every_tick
        pipeline = window.live.service
        child_pid = pipeline._process.pid
    else:
        from sensor_adapters.service import LiveService

        pipeline = LiveService(store_url, broker.url, client_id="zhiwang-live-bench").start()
        deadline = time.monotonic() + 10
        while not pipeline.status().ok and time.monotonic() < deadline:
            time.sleep(0.05)
        child_pid = pipeline._process.pid
    where = "in this process" if args.in_process else "in the live service's child process"
    print(
        f"live bench: {len(pipeline.sensors):,} sensors ({store.backend}), "
        f"{args.rate:,.0f} msg/s for {args.duration:g} s via {broker.url} "
        f"(installer/mosquitto-zhiwang.conf limits); pipeline {where}",
        flush=True,
    )

    samples: list[tuple[float, float, int, int, float]] = []  # t, rss, stored, pending, child rss
    stop_sampling = threading.Event()
    t_start = time.monotonic()

    def sampler() -> None:
        while not stop_sampling.wait(1.0):
            c = pipeline.counters()
            child = rss_mb(child_pid) if child_pid else 0.0
            samples.append((time.monotonic() - t_start, rss_mb(), c.stored, c.pending, child))

    threading.Thread(target=sampler, daemon=True).start()
    proc = simulate(store_url, broker.url, args.rate, args.duration)
    tick_ms: list[float] = []
    late_ms: list[float] = []
    frames: dict = {}
    if args.window and not args.in_process:
        frames = run_live_window(window, proc)
    elif args.window:
        tick_ms, late_ms = run_window(store, pipeline, proc)
    else:
        while proc.poll() is None:
            t0 = time.perf_counter()
            snap = pipeline.latest_snapshot()
            tick_ms.append((time.perf_counter() - t0) * 1000)
            time.sleep(max(0.0, 0.1 - (time.perf_counter() - t0)))
        assert len(snap) == len(pipeline.sensors)
    if not args.in_process:  # the service reports its counters every 50 ms
        time.sleep(0.2)
    published, acked, seconds, _ = sim_result(proc)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        c = pipeline.counters()
        if c.received >= acked and c.pending == 0:
            break
        time.sleep(0.1)
    pipeline.flush()
    drained_at = time.monotonic() - t_start
    stop_sampling.set()
    if not args.in_process:
        time.sleep(0.2)  # the live service publishes its counters every 50 ms
    c = pipeline.counters()
    if adapter is not None:
        adapter.stop()
    if frames:
        window.live.stop(wait=True)
        window.close()
    else:
        pipeline.stop()
    broker.close()
    lost = acked - c.stored - c.quarantined
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    warm = [s for s in samples if s[0] >= 10]
    growth = (warm[-1][1] - warm[0][1]) if len(warm) > 1 else float("nan")
    child_growth = (warm[-1][4] - warm[0][4]) if len(warm) > 1 else float("nan")
    first = next((s[0] for s in samples if s[2] > 0), 0.0)
    rate_stored = c.stored / max(drained_at - first, 1e-9)
    max_pending = max((s[3] for s in samples), default=0)
    print(f"  simulator: published {published:,} in {seconds:.1f} s ({published / seconds:,.0f}/s); "
          f"broker acknowledged {acked:,}")  # fmt: skip
    print(f"  pipeline:  received {c.received:,}  stored {c.stored:,}  duplicates {c.duplicates:,}  "
          f"quarantined {c.quarantined:,}  dropped {c.dropped:,}  batches {c.batches:,}")  # fmt: skip
    print(f"  stored/s:  {rate_stored:,.0f} (first stored → drained, {drained_at - first:.1f} s); "
          f"max backlog {max_pending:,} messages")  # fmt: skip
    print(f"  lost (acknowledged − stored − quarantined): {lost:,}   goal 0")
    this = ("pipeline" if args.in_process else "sampler") + (" + window" if args.window else "")
    print(f"  memory:    peak RSS {peak_self:,.0f} MB ({this}), largest child {peak_children:,.0f} MB "
          f"(simulator / live service); after the 10 s warm-up: {this} {growth:+.1f} MB"
          + ("" if args.in_process else f", live service {child_growth:+.1f} MB"))  # fmt: skip
    if not args.in_process:
        peak_service = max((s[4] for s in samples), default=0.0)
        print(f"             live service RSS peak {peak_service:,.0f} MB (sampled each second)")
        if len(warm) > 1:
            print(f"             after warm-up → end: {this} {warm[0][1]:,.0f} → {warm[-1][1]:,.0f} MB, "
                  f"live service {warm[0][4]:,.0f} → {warm[-1][4]:,.0f} MB")  # fmt: skip
            every = [s for s in samples if int(s[0]) % 10 == 0][:12]
            print("             every 10 s (window / live service MB): " + ", ".join(
                f"{s[0]:.0f}s {s[1]:.0f}/{s[4]:.0f}" for s in every))  # fmt: skip
    if frames:
        how = "every tick, forced" if args.repaint_every_tick else "ticks where something changed"
        print(f"  UI frame (tick → overlay painted): p50 {frames['p50']:.1f} ms  "
              f"p99 {frames['p99']:.1f} ms  max {frames['max']:.1f} ms over {frames['frames']} "
              f"frames painted ({how}) of {frames['ticks']} ticks   goal p99 ≤ 50 ms")  # fmt: skip
        print(f"  UI tick work (snapshot + arrays): p50 {frames['tick_p50']:.2f} ms  "
              f"p99 {frames['tick_p99']:.2f} ms; timer period p50 {frames['gap_p50']:.0f} ms  "
              f"p99 {frames['gap_p99']:.0f} ms (100 ms asked); {frames['sensors']:,} sensors, "
              f"{frames['clusters']} badges, {frames['alarms']} open alarms on screen")  # fmt: skip
        print(f"  screenshot: {frames['screenshot']}")
    if tick_ms:
        p50, p99 = np.percentile(tick_ms, [50, 99])
        what = "UI tick (snapshot + canvas repaint)" if args.window else "latest_snapshot()"
        print(f"  {what}: p50 {p50:.2f} ms  p99 {p99:.2f} ms  max {max(tick_ms):.1f} ms  "
              f"over {len(tick_ms)} ticks at 10 Hz")  # fmt: skip
    if late_ms:
        p50, p99 = np.percentile(late_ms, [50, 99])
        print(f"  UI timer lateness: p50 {p50:.1f} ms  p99 {p99:.1f} ms  (goal p99 frame ≤ 50 ms)")
    if not args.no_anchor:
        print(f"anchor (issue 4): QoS 1 flood at ~{args.anchor_rate:,.0f}/s for "
              f"{args.anchor_duration:g} s, same machine, same run:")  # fmt: skip
        for line in anchor(args.anchor_rate, args.anchor_duration, store_url):
            print(line)
        print("  issue's figures (bare paho): defaults < 10% received; zhiwang.conf 100% "
              "(7,100 received/s)")  # fmt: skip
    store.close()
    return 0 if lost == 0 and c.dropped == 0 else 1


def open_window(store, broker_url: str):
    """The main window offscreen on ``store`` showing the whole community, its live monitoring
    started on ``broker_url`` (window settings in bench/out/home, not the user's)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("ZHIWANG_HOME", str(OUT / "home"))
    from PySide6.QtCore import QCoreApplication

    from desktop.app import ensure_application
    from desktop.main_window import MainWindow

    ensure_application([])
    window = MainWindow()
    window.resize(1600, 1000)
    window.show()
    window.set_store(store, "live bench")
    window.zoom_home()
    live = window.live
    live.panel.sound.setChecked(False)
    live.start(broker_url=broker_url, client_id="zhiwang-live-bench-window")
    deadline = time.monotonic() + 60
    while not (live.running and live.service.status().ok):
        if time.monotonic() > deadline:
            raise SystemExit(f"the window's live monitoring did not start: {live.last_error}")
        QCoreApplication.processEvents()
        time.sleep(0.01)
    return window


def run_live_window(window, proc) -> dict:
    """Run the window's event loop (its live monitor ticking at 10 Hz) until the simulator ends;
    the frame times of the first 3 s (the base map's first render) are left out."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()  # not app.exec(): quitting the application would close the window
    live = window.live
    started = time.monotonic()
    skipped: dict[str, int] = {}

    def check() -> None:
        if not skipped and time.monotonic() - started > 3.0:
            skipped.update(
                frames=len(live.overlay.frame_ms),
                ticks=len(live.tick_ms),
                gaps=len(live.tick_gap_ms),
            )
        if proc.poll() is not None:
            loop.quit()

    poll = QTimer()
    poll.setInterval(200)
    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    frames = np.array(list(live.overlay.frame_ms)[skipped.get("frames", 0) :])
    ticks = np.array(list(live.tick_ms)[skipped.get("ticks", 0) :])
    gaps = np.array(list(live.tick_gap_ms)[skipped.get("gaps", 0) :])
    out = {"frames": len(frames), "sensors": len(live.snapshot) if live.snapshot else 0}
    out["ticks"] = len(ticks)
    for name, a in (("", frames), ("tick_", ticks), ("gap_", gaps)):
        p50, p99 = np.percentile(a, [50, 99]) if len(a) else (float("nan"),) * 2
        out[f"{name}p50"], out[f"{name}p99"] = float(p50), float(p99)
        out[f"{name}max"] = float(a.max()) if len(a) else float("nan")
    out["clusters"] = len(live.overlay.cluster_badges())
    out["alarms"] = len(live.alarms)
    shot = OUT / "live_bench_window.png"
    window.grab().save(str(shot))
    out["screenshot"] = str(shot)
    return out


def run_window(store, pipeline, proc) -> tuple[list[float], list[float]]:
    """Open the main window offscreen and sample + repaint at 10 Hz until the simulator ends.

    With --in-process: the tick is the bench pipeline's snapshot plus a synchronous repaint of
    the map canvas, and the timer's lateness shows how much the ingest threads hold the GUI
    thread back.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer

    from desktop.app import ensure_application
    from desktop.main_window import MainWindow

    app = ensure_application([])
    window = MainWindow()
    window.set_store(store, "live bench")
    window.show()
    ticks: list[float] = []
    late: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        late.append(max(0.0, (now - last[0]) * 1000 - 100))
        last[0] = now
        pipeline.latest_snapshot()
        window.canvas.repaint()
        ticks.append((time.perf_counter() - now) * 1000)
        if proc.poll() is not None:
            app.quit()

    timer = QTimer()
    timer.setInterval(100)
    timer.timeout.connect(tick)
    timer.start()
    app.exec()
    timer.stop()
    window.close()
    # The first 3 s open the store and render the base map for the first time.
    return ticks[30:], late[30:]


if __name__ == "__main__":
    sys.exit(main())
