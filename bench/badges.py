"""Benchmark badge rendering: 1,100 badges, ours against the straightforward approach.

Run from the repo root:  .venv/bin/python bench/badges.py [--runs N] [--count N]

Prints the median wall time of ``render_badges`` (layouts a4-8xa7 and a6) and of the
straightforward approach measured in the same run (per badge: ``qrcode.make`` -> PIL image
-> ``canvas.drawImage``, one badge per A6 page), their ratio, and the peak memory of a
render of 200 and of 1,100 badges, each in a fresh process, to show how it scales.
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
from pathlib import Path

# Allow `python bench/badges.py` without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from summit.services.badges import fonts  # noqa: E402
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


def straightforward(badges: list[BadgeData], out: io.BytesIO) -> None:
    """What one writes first: a PIL QR image per badge, one badge per page."""
    import qrcode
    from reportlab.lib.pagesizes import A6
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    fonts.font_faces()  # Unicode names need the same TTF fonts
    canvas = Canvas(out, pagesize=A6)
    for badge in badges:
        canvas.setFont(fonts.SANS, 30)
        canvas.drawCentredString(A6[0] / 2, 110 * mm, badge.first_name)
        canvas.setFont(fonts.SANS, 22)
        canvas.drawCentredString(A6[0] / 2, 98 * mm, badge.last_name)
        canvas.setFont(fonts.SANS, 12)
        canvas.drawCentredString(A6[0] / 2, 90 * mm, badge.organisation)
        image = qrcode.make(badge.qr_payload).get_image()
        canvas.drawImage(ImageReader(image), 35 * mm, 30 * mm, 35 * mm, 35 * mm)
        canvas.drawCentredString(A6[0] / 2, 10 * mm, badge.category_name)
        canvas.showPage()
    canvas.save()


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
    parser.add_argument("--layout", default="a6", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_probe:
        print(json.dumps(memory_probe(args.memory_probe, args.layout)))
        return

    badges = make_badges(args.count)
    render_badges(badges[:3], io.BytesIO())  # warm up: font registration, imports
    # Wall time on a shared 2-core machine swings with other load: say how busy it was.
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"{args.count} badges, median of {args.runs} runs each (wall time; CPU time)")
    results = {}
    for layout in ("a4-8xa7", "a6"):
        wall, cpu, walls = median_seconds(
            lambda layout=layout: render_badges(badges, io.BytesIO(), layout=layout), args.runs
        )
        results[layout] = (wall, cpu)
        print(f"  render_badges {layout:<8} median {wall:6.2f} s; cpu {cpu:5.2f} s  "
              f"(runs: {', '.join(f'{t:.2f}' for t in walls)})")  # fmt: skip
    base_wall, base_cpu, walls = median_seconds(
        lambda: straightforward(badges, io.BytesIO()), args.runs
    )
    print(f"  straightforward (PIL image per badge, A6) median {base_wall:6.2f} s; "
          f"cpu {base_cpu:5.2f} s  (runs: {', '.join(f'{t:.2f}' for t in walls)})")  # fmt: skip
    for layout, (wall, cpu) in results.items():
        print(f"  ratio straightforward / ours ({layout}): wall {base_wall / wall:.1f}x, "
              f"cpu {base_cpu / cpu:.1f}x")  # fmt: skip
    print(f"load average after timing: {os.getloadavg()[0]:.2f}")
    report_memory(tuple(sorted({200, args.count})), ("a6", "a4-8xa7"))


if __name__ == "__main__":
    main()
