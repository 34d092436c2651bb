#!/usr/bin/env python3
"""The synthetic yardstick of `dealscore fit` (issue 19): on a history drawn from a planted points
table (`dealscore synth --outcomes`), the held-out AUC of the fitted table against the planted
truth's on the same held-out deals, and the fit's time on one core.

    cargo build --release -p dealscore-cli
    python3 benches/fit/synthetic.py                  # 10,000 deals / 1M activities
    python3 benches/fit/synthetic.py --deals 1000 --activities 100000

The held-out deals are the fit's own test set (the last ⌈20%⌉ of the closed deals by close date
and id, OUTCOMES §4); the planted truth is backtested on exactly those deals with the planted
model. Time: `dealscore fit --format json` end to end (reading the files included), pinned to
one core with `taskset -c 0`, fastest and median of `--runs` runs.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def binary() -> str:
    target = subprocess.run(
        [str(ROOT / "scripts" / "target-dir")], check=True, capture_output=True, text=True
    ).stdout.strip()
    path = Path(target) / "release" / "dealscore"
    if not path.exists():
        sys.exit(f"{path} is missing: cargo build --release -p dealscore-cli")
    return str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deals", type=int, default=10_000)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    exe = binary()
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    with tempfile.TemporaryDirectory(prefix="dealscore-fit-") as tmp:
        d = Path(tmp)
        subprocess.run(
            [exe, "synth", "--deals", str(args.deals), "--activities", str(args.activities), "--seed", str(args.seed),
             "--outcomes", "--out", d / "acts.jsonl", "--deals-out", d / "deals.json",
             "--planted-model-out", d / "planted.toml"],
            check=True,
        )
        times = []
        fit = None
        for _ in range(args.runs):
            started = time.perf_counter()
            out = subprocess.run(
                pin + [exe, "fit", "--deals", d / "deals.json", "--format", "json", d / "acts.jsonl"],
                check=True, capture_output=True, text=True,
            ).stdout
            times.append(time.perf_counter() - started)
            fit = json.loads(out)
        assert fit is not None
        # The fit's test set: the last ⌈20%⌉ of the closed deals by (closed_on, id).
        deals = json.loads((d / "deals.json").read_text(encoding="utf-8"))
        closed = sorted((x for x in deals if x.get("outcome")), key=lambda x: (x["closed_on"], x["id"]))
        test = closed[len(closed) - math.ceil(len(closed) * 0.2):]
        assert len(test) == fit["test"]["deals"], (len(test), fit["test"]["deals"])
        (d / "test.json").write_text(json.dumps(test), encoding="utf-8")
        truth = json.loads(subprocess.run(
            [exe, "backtest", "--model", d / "planted.toml", "--deals", d / "test.json", "--format", "json",
             d / "acts.jsonl"],
            check=True, capture_output=True, text=True,
        ).stdout)
        planted = truth["scores"]["energy"]["auc"]
        size = os.path.getsize(d / "acts.jsonl")
    t = fit["test"]
    print(f"history: {args.deals} deals, {args.activities} activities ({size / 1e6:.0f} MB), seed {args.seed}; "
          f"{fit['train']['deals']} train / {t['deals']} test deals")
    print(f"held-out AUC: planted truth {planted:.4f}, fitted {t['auc_fitted']:.4f} "
          f"(Δ {t['auc_fitted'] - planted:+.4f}), base model {t['auc_base']:.4f}")
    print(f"held-out log loss: fitted {t['logloss_fitted']:.4f}, base {t['logloss_base']:.4f}")
    print(f"fit time{' on one core' if pin else ''}: fastest {min(times):.2f} s, median {statistics.median(times):.2f} s "
          f"of {len(times)} runs")


if __name__ == "__main__":
    main()
