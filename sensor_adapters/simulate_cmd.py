"""`zhiwang simulate sensors`: publish realistic readings (and incidents) for a store's sensors."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time

from gis_core.live_store import LiveStore
from gis_core.store import Store

__all__ = ["register", "run_sensors"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("simulate", help="simulate live devices (training, demos, load tests)")
    what = p.add_subparsers(dest="target", required=True, metavar="TARGET")
    s = what.add_parser(
        "sensors",
        help="publish readings for every sensor in the store to an MQTT broker",
        description="Publishes each sensor's readings to zhiwang/<community>/sensors/<code>/state "
        "(see sensor_adapters/MQTT.md) at the sensor's own period, or at --rate messages/s "
        "in total; scripted incidents come from --incident or a --scenario file.",
    )
    s.add_argument("--store", help="postgresql://… or a SpatiaLite file (default: embedded store)")
    s.add_argument("--broker", default="mqtt://127.0.0.1:1883", help="mqtt://[user:pw@]host:port")
    s.add_argument("--rate", type=float, help="messages per second over all sensors")
    s.add_argument("--duration", type=float, help="seconds to run (default: scenario or forever)")
    s.add_argument("--scenario", help="scenario file (YAML/JSON), e.g. resources/scenarios/…")
    s.add_argument("--speed", type=float, default=1.0, help="scenario time compression (2 = 2x)")
    s.add_argument(
        "--incident",
        action="append",
        default=[],
        metavar="NAME",
        help="add a built-in incident: smoke_alarm, bin_overflow, door_forced_night, "
        "sensor_silent, water_rising, or all (repeatable)",
    )
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--quiet", action="store_true", help="print only the final summary")
    s.set_defaults(func=run_sensors)


def run_sensors(args: argparse.Namespace) -> int:
    from sensor_adapters.simulator import (
        MqttPublisher,
        Scenario,
        SensorSimulator,
        SimulationResult,
        incidents_scenario,
        load_scenario,
    )

    with Store.open(args.store) as store:
        sensors = LiveStore(store).sensor_table()
        community = store.meta("community_code") or "default"
    scenario = load_scenario(args.scenario) if args.scenario else Scenario()
    if args.incident:
        extra = incidents_scenario([n for arg in args.incident for n in arg.split(",")])
        scenario = Scenario(
            name=scenario.name,
            description=scenario.description,
            background=scenario.background,
            duration_s=scenario.duration_s,
            steps=tuple(sorted(scenario.steps + extra.steps, key=lambda s: s.at)),
            recording=scenario.recording,
        )
    publisher = MqttPublisher(args.broker)
    publisher.connect()
    simulator = SensorSimulator(
        sensors,
        publisher,
        rate=args.rate,
        scenario=scenario,
        speed=args.speed,
        seed=args.seed,
        community=community,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    result = SimulationResult()
    worker = threading.Thread(target=simulator.run, args=(args.duration, stop, result), daemon=True)
    started = time.monotonic()
    worker.start()
    if not args.quiet:
        print(
            f"simulating {len(sensors)} sensors → {publisher.broker}"
            + (f" at {args.rate:g} msg/s" if args.rate else " at their own periods")
            + (f", scenario {scenario.name!r} x{args.speed:g}" if scenario.steps else ""),
            flush=True,
        )
    try:
        shown = 0
        while worker.is_alive():
            worker.join(1.0)
            if not args.quiet and time.monotonic() - started >= shown + 10:
                shown += 10
                print(
                    f"  {shown:>5d} s  published {result.published:,}  "
                    f"acknowledged {publisher.acked:,}",
                    flush=True,
                )
    except KeyboardInterrupt:
        stop.set()
        worker.join()
    acked_all = publisher.wait_acked(30.0)
    publisher.close()
    print(
        f"published {result.published:,} readings in {result.seconds:.1f} s "
        f"({result.rate:,.0f}/s); broker acknowledged {publisher.acked:,}"
        + ("" if acked_all else f"; {publisher.sent - publisher.acked:,} unacknowledged"),
        file=sys.stdout,
    )
    return 0 if acked_all else 1
