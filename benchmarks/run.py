"""Runs every benchmark and prints one table:  python -m benchmarks.run"""

from __future__ import annotations

import importlib
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

MODULES = (
    "benchmarks.bench_core",
    "benchmarks.bench_numbers",
    "benchmarks.bench_app",
    "benchmarks.bench_first_load",
    "benchmarks.bench_draft",
    "benchmarks.bench_real_model",
    "benchmarks.bench_desk",
    "benchmarks.bench_publish",
    "benchmarks.bench_audit",
    "benchmarks.bench_pdf",
    "benchmarks.bench_limits",
    "benchmarks.bench_load",
)


def main() -> None:
    rows: list[tuple[str, str, str]] = []
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for result in module.run():
            label, value, *rest = result
            unit = rest[0] if len(rest) == 2 else "ms"
            target = rest[-1]
            rows.append((label, f"{value:,.2f} {unit}", target))
    width = max(len(r[0]) for r in rows) + 2
    print(f"{'基准':<{width}}{'实测':>16}   目标")
    for label, value, target in rows:
        print(f"{label:<{width}}{value:>16}   {target}")


if __name__ == "__main__":
    main()
