#!/usr/bin/env python3
"""FasterRisk vs `dealscore scorecard`, side by side in one run, on the risk-score benchmarks.

For each data set in data/ (label in the first column): a fixed 80/20 split (rows shuffled by
random.Random(0)), k = 5, box [-5, 5]. Both tools fit the same train file; the test AUC of each
is computed here by one function (exact midrank AUC of the points total, OUTCOMES §3) and the
mean log loss likewise. FasterRisk's time is its `optimize()` + `get_models()` inside Python
(import and CSV reading excluded); dealscore's is that of the whole command (process start, CSV
reading, fit, test figures and JSON output included). Both wall time and CPU time (all threads,
user + system) are kept, the fastest of --repeat runs each: on a shared machine the CPU time is
the steadier figure.

    python3 benches/fit/run.py [--dealscore target/release/dealscore] [--repeat 3] [NAME ...]
"""

import argparse
import csv
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
VENV_PYTHON = os.path.join(HERE, ".venv-fasterrisk", "bin", "python")
SETS = ["adult", "bank", "breastcancer", "mammo", "mushroom", "spambase"]


def split(path, out_dir, name):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    order = list(range(len(body)))
    random.Random(0).shuffle(order)
    cut = int(round(0.8 * len(body)))
    files = {}
    for part, idx in (("train", order[:cut]), ("test", order[cut:])):
        files[part] = os.path.join(out_dir, f"{name}_{part}.csv")
        with open(files[part], "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            for i in sorted(idx):
                w.writerow(body[i])
    return header, files


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    names = rows[0][1:]
    return names, [[float(v) for v in r[1:]] for r in rows[1:]], [float(r[0]) > 0 for r in rows[1:]]


def auc(scores, positive):
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    w = sum(positive)
    lost = len(scores) - w
    twice_r, i = 0, 0
    while i < len(order):
        j = i + 1
        while j < len(order) and scores[order[j]] == scores[order[i]]:
            j += 1
        twice_r += sum(1 for k in order[i:j] if positive[k]) * (i + 1 + j)
        i = j
    return (twice_r - w * (w + 1)) / (2 * w * lost)


def logloss(scores, positive, b, m):
    total = 0.0
    for s, y in zip(scores, positive):
        p = 1.0 / (1.0 + math.exp(-(b + s) / m))
        p = min(max(p, 1e-15), 1 - 1e-15)
        total -= math.log(p if y else 1 - p)
    return total / len(scores)


def evaluate(model, test):
    names, X, y = test
    col = {n: j for j, n in enumerate(names)}
    totals = [sum(v * row[col[n]] for n, v in model["points"].items()) for row in X]
    return auc(totals, y), logloss(totals, y, model["intercept"], model["multiplier"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dealscore", default=os.path.join(HERE, "..", "..", "target", "release", "dealscore"))
    ap.add_argument("--repeat", type=int, default=3, help="runs of each tool; the fastest time is kept")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    names = args.names or [s for s in SETS if os.path.exists(os.path.join(HERE, "data", f"{s}_data.csv"))]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            header, files = split(os.path.join(HERE, "data", f"{name}_data.csv"), tmp, name)
            train, test = load(files["train"]), load(files["test"])
            fr_times, ds_times, fr_cpu, ds_cpu = [], [], [], []
            for _ in range(args.repeat):
                out = subprocess.run([VENV_PYTHON, os.path.join(HERE, "fasterrisk_fit.py"), files["train"], "5", "-5", "5"],
                                     check=True, capture_output=True, text=True).stdout
                fr = json.loads(out.strip().splitlines()[-1])
                fr_times.append(fr["seconds"])
                fr_cpu.append(fr["cpu"])
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                out = subprocess.run([args.dealscore, "scorecard", "--label", header[0], "--k", "5", "--lb", "-5",
                                      "--ub", "5", "--format", "json", "--test", files["test"], files["train"]],
                                     check=True, capture_output=True, text=True).stdout
                ds_times.append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                ds_cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
                ds = json.loads(out)
            fr_auc, fr_ll = evaluate(fr, test)
            ds_auc, ds_ll = evaluate(ds, test)
            assert abs(ds_auc - ds["test"]["auc"]) < 1e-12, (ds_auc, ds["test"]["auc"])
            tr_fr, tr_ds = evaluate(fr, train), evaluate(ds, train)
            rows.append((name, len(train[1]), len(train[0]), fr_auc, ds_auc, tr_fr[1], tr_ds[1], fr_ll, ds_ll,
                         min(fr_times), min(ds_times), fr["points"], ds["points"], min(fr_cpu), min(ds_cpu)))
            r = rows[-1]
            print(f"{name}: n={r[1]} p={r[2]}  test AUC FasterRisk {r[3]:.4f} dealscore {r[4]:.4f} ({r[4] - r[3]:+.4f})  "
                  f"train logloss {r[5]:.4f} / {r[6]:.4f}  test logloss {r[7]:.4f} / {r[8]:.4f}  "
                  f"wall {r[9]:.3f} s / {r[10]:.3f} s (x{r[9] / r[10]:.1f})  cpu {r[13]:.3f} s / {r[14]:.3f} s "
                  f"(x{r[13] / r[14]:.1f})", flush=True)
            print(f"    FasterRisk {fr['intercept']:+.0f} /{fr['multiplier']:.3f} {fr['points']}", flush=True)
            print(f"    dealscore  {ds['intercept']:+d} /{ds['multiplier']:.3f} {ds['points']}", flush=True)
    print()
    print("| data set | train rows | features | test AUC FasterRisk | test AUC dealscore | Δ | "
          "wall s FasterRisk | wall s dealscore | ratio | CPU s FasterRisk | CPU s dealscore | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]:.4f} | {r[4]:.4f} | {r[4] - r[3]:+.4f} | {r[9]:.3f} | "
              f"{r[10]:.3f} | {r[9] / r[10]:.0f}× | {r[13]:.3f} | {r[14]:.3f} | {r[13] / r[14]:.0f}× |")


if __name__ == "__main__":
    sys.exit(main())
