"""Benchmark badge rendering: 1,100 badges with QR against the text-only floor and the Indico way.

Run from the repo root:  .venv/bin/python bench/badges.py [--runs N] [--count N] [--memory]

Times ``render_badges`` three ways in one run, taking turns, medians of --runs: the floor
(the same pages without QR codes), ours, and the Indico way (the same pages, the QR made by
``qrcode`` with its mask search -> PIL image -> ``canvas.drawImage``). With --memory also
the peak memory of a render of 200 and N badges, each in a fresh process. Last line:
badges=N floor_s=… ours_s=… indico_s=… floor_ratio=… indico_ratio=… (wall-time medians).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

# Allow `python bench/badges.py` without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from summit.services.badges import design, qr  # noqa: E402
from summit.services.badges.render import BadgeData, render_badges  # noqa: E402
from summit.services.registrations import codes  # noqa: E402

FIRST = (
    "Jürgen Anna-Lena Łukasz Zoë Søren François Γιώργος Анастасия Björn Małgorzata José "
    "Chloé Dmitri Ayşe Nguyễn_Thị Renée Maximilian Özlem Hélène Ingrid Åsa Mohammed Priya "
    "Jörg Siobhán Zdeněk Ævar Çağla Wojciech María_José Élodie Kateřina Sebastián Fatima"
).split()
LAST = (
    "Müller Schäfer Żółć Ørsted Côté Παπαδόπουλος Кузнецова Þórsdóttir García_Márquez "
    "Nguyễn Yılmaz Brzęczyszczykiewicz Großmann O'Sullivan van_der_Meer Dvořák Hämäläinen "
    "Lindqvist Öztürk Weiß Kowalczyk Fernández Schmidt-Rüdiger da_Silva Lefèvre Novák "
    "Andersen Johansson Al-Hassan Bauer Krämer Szabó Jovanović Wołowski von_Bülow"
).split()
ORGS = (
    "Grüne Zukunft gGmbH|Fundacja Współpraca|Ashoka Deutschland|Social Impact Lab Köln|"
    "Université de Genève|Πανεπιστήμιο Αθηνών|Фонд «Наше будущее»|Technische Universität "
    "München|Réseau Entreprendre|Impact Hub Zürich||Stiftung Mercator|Ørsted A/S"
).split("|")
CATEGORIES = (
    ("Attendee", "#2E86C1"),
    ("Speaker", "#C0392B"),
    ("Pitcher", "#8E44AD"),
    ("Press", "#F1C40F"),
    ("Staff", "#17202A"),
)


def make_badges(count: int, seed: int = 2014) -> list[BadgeData]:
    rng = random.Random(seed)
    badges = []
    for index in range(count):
        category, colour = rng.choice(CATEGORIES)
        # Check-in codes as the app makes them, printed in groups under the QR.
        code = "".join(rng.choice(codes.CHECKIN_ALPHABET) for _ in range(codes.CHECKIN_LENGTH))
        badges.append(
            BadgeData(
                first_name=rng.choice(FIRST).replace("_", " "),
                last_name=rng.choice(LAST).replace("_", " "),
                organisation=rng.choice(ORGS),
                category_name=category,
                category_colour=colour,
                event_name="Vision Summit 2014",
                event_dates="10–11 September 2014",
                qr_payload=code,
                reference=f"R{index:05d}",
                code_label=codes.grouped(code),
            )
        )
    return badges


@contextmanager
def text_only_floor() -> Iterator[None]:
    """The floor: the same pages without QR codes (every badge keeps the space of a QR of
    the usual size, so text fitting and placement stay the same; no matrix, no drawing)."""
    placeholder = qr.qr_matrix("A" * codes.CHECKIN_LENGTH)
    with mock.patch.object(design, "qr_matrix", lambda payload: placeholder), \
            mock.patch.object(design, "draw_qr", lambda *args: None):
        yield


@contextmanager
def indico_way() -> Iterator[None]:
    """The same pages with the QR made the way Indico makes it: ``qrcode`` with its best
    mask searched per code, a PIL image per badge, ``canvas.drawImage`` at the same place
    and size (quiet zone outside, as ours)."""
    import qrcode
    from reportlab.lib.utils import ImageReader

    made: list = []

    def matrix(payload: str) -> list[list[bool]]:
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        code.add_data(payload)
        code.make(fit=True)
        made[:] = [code]
        return code.modules

    def draw(canvas, modules, x, y, side) -> None:
        image = made[0].make_image().get_image()
        canvas.drawImage(ImageReader(image), x, y, side, side)

    with mock.patch.object(design, "qr_matrix", matrix), mock.patch.object(design, "draw_qr", draw):
        yield


@contextmanager
def ours() -> Iterator[None]:
    yield


def median_seconds(action: Callable[[], object], runs: int) -> tuple[float, float, list[float]]:
    """Median wall time, median CPU time (less disturbed by other load) and all wall times."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus), walls


def memory_probe(count: int, layout: str) -> dict[str, float]:
    """Run in a fresh process: the whole render (fonts included) of ``count`` badges fed
    from a generator into a file; its tracemalloc peak and the process's peak RSS."""
    badges = make_badges(count)

    def lazily() -> Iterator[BadgeData]:  # a generator, as a database query would be
        yield from badges

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "badges.pdf"
        tracemalloc.start()
        render_badges(lazily(), target, layout=layout)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = target.stat().st_size
    return {
        "tracemalloc_peak_mb": peak / 1e6,
        "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "pdf_mb": size / 1e6,
    }


def report_memory(counts: tuple[int, ...], layouts: tuple[str, ...]) -> None:
    print("\nMemory (fresh process per row; badges fed from a generator, PDF to a file):")
    print(f"  {'layout':<10} {'badges':>6} {'tracemalloc peak':>17} {'peak RSS':>9} {'PDF':>8}")
    for layout in layouts:
        for count in counts:
            probe = subprocess.run(
                [sys.executable, __file__, "--memory-probe", str(count), "--layout", layout],
                check=True,
                capture_output=True,
                text=True,
            )
            m = json.loads(probe.stdout)
            print(
                f"  {layout:<10} {count:>6} {m['tracemalloc_peak_mb']:>14.1f} MB "
                f"{m['rss_peak_mb']:>6.0f} MB {m['pdf_mb']:>5.2f} MB"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=1100)
    parser.add_argument("--memory-probe", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--layout", default="a6")
    parser.add_argument("--memory", action="store_true",
                        help="also the peak memory of 200 and N badges, fresh processes")
    args = parser.parse_args()
    if args.memory_probe:
        print(json.dumps(memory_probe(args.memory_probe, args.layout)))
        return

    badges = make_badges(args.count)
    render_badges(badges[:3], io.BytesIO())  # warm up: font registration, imports
    # Wall time on a shared 2-core machine swings with other load: say how busy it was.
    print(f"load average before: {os.getloadavg()}")
    print(f"{args.count} badges, layout {args.layout}, median of {args.runs} runs each, "
          "the three ways taking turns (wall time; CPU time)")
    ways = {"floor": text_only_floor, "ours": ours, "indico": indico_way}
    walls: dict[str, list[float]] = {name: [] for name in ways}
    cpus: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(args.runs):  # interleaved, so a burst of other load hits all three
        for name, way in ways.items():
            with way():
                _, cpu, wall = median_seconds(
                    lambda: render_badges(badges, io.BytesIO(), layout=args.layout), 1)
            walls[name] += wall
            cpus[name].append(cpu)
    wall = {name: statistics.median(times) for name, times in walls.items()}
    cpu = {name: statistics.median(times) for name, times in cpus.items()}
    for name in ways:
        print(f"  {name:<7} median {wall[name]:6.2f} s; cpu {cpu[name]:5.2f} s  "
              f"(runs: {', '.join(f'{t:.2f}' for t in walls[name])})")
    print(f"  cpu ratios: ours/floor {cpu['ours'] / cpu['floor']:.2f}, "
          f"indico/ours {cpu['indico'] / cpu['ours']:.1f}")
    print(f"load average after timing: {os.getloadavg()}")
    if args.memory:
        report_memory(tuple(sorted({200, args.count})), ("a6", "a4-8xa7"))
    print(f"badges={args.count} floor_s={wall['floor']:.3f} ours_s={wall['ours']:.3f} "
          f"indico_s={wall['indico']:.3f} floor_ratio={wall['ours'] / wall['floor']:.2f} "
          f"indico_ratio={wall['indico'] / wall['ours']:.1f}")


if __name__ == "__main__":
    main()
