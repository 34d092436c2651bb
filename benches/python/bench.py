"""Python benchmark: score_frame on 1M synthetic activities vs an idiomatic pandas implementation
of the same total / decayed / continuity computation, the core's own single-thread rate, and
backtest on the same frame (its 10,000 deals given outcomes), all in one run. Start it with benches/python/run; it prints a Markdown table (benches/python/README.md).

Every path starts from data already in memory (loading is not timed): score_frame from a pyarrow
Table, pandas from the same table as a DataFrame, the core from parsed activities (the
`profile_score` example of the benches crate, on the identical synthetic data).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

import dealscore

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "benches" / "data"
AS_OF = os.environ.get("AS_OF", "2026-11-27")
RUNS = int(os.environ.get("RUNS", "5"))


def load() -> Tuple[pa.Table, List[Dict[str, Any]], bytes]:
    contact = pa.struct([(f, pa.string()) for f in ("person", "role", "title", "department")])
    schema = pa.schema([
        ("id", pa.string()), ("deal", pa.string()), ("date", pa.string()),
        ("actions", pa.list_(pa.string())), ("contacts", pa.list_(contact)),
        ("attendees", pa.int64()), ("reporter", pa.string()), ("note", pa.string()),
    ])
    table = pj.read_json(
        DATA / "activities.jsonl",
        parse_options=pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore"),
    )
    table = table.set_column(2, "date", pc.cast(table.column("date"), pa.date32())).drop_columns(["note"])
    deals_text = (DATA / "deals.json").read_bytes()
    lines = (DATA / "activities.jsonl").read_bytes().rstrip(b"\n").replace(b"\n", b",")
    request = b'{"as_of":"' + AS_OF.encode() + b'","deals":' + deals_text + b',"activities":[' + lines + b"]}"
    return table, json.loads(deals_text), request


# ---------------------------------------------------------------------------------------------
# The pandas implementation: what a data scientist would write from docs/model.md.


def normalize(title: str) -> str:
    return unicodedata.normalize("NFKC", title).lower().strip()


def pandas_scores(df: pd.DataFrame, model: Dict[str, Any], as_of: str) -> pd.DataFrame:
    T = pd.Timestamp(as_of)
    acts = df[df["date"] <= T].sort_values(["deal", "date", "id"]).reset_index(drop=True)
    acts["days_ago"] = (T - acts["date"]).dt.days

    # Each contact's role (its role id, else its title through the aliases); the top role of an
    # activity is its highest-ranked one.
    roles = pd.DataFrame(model["roles"]).set_index("id")
    alias = {normalize(n): r["id"] for r in model["roles"] for n in [r["id"], r["label"], *r.get("aliases", [])]}
    contacts = acts["contacts"].explode().dropna()
    c = pd.DataFrame(contacts.tolist(), index=contacts.index)
    titles = c["title"].dropna().unique()
    c["role_id"] = c["role"].fillna(c["title"].map(pd.Series({t: alias.get(normalize(t)) for t in titles})))
    c["rank"] = c["role_id"].map(roles["rank"])
    top = c.dropna(subset=["rank"]).sort_values("rank").groupby(level=0)["role_id"].last()
    acts["top_role"] = top
    role_points = acts["top_role"].map(roles["points"]).fillna(0)

    # Attendee band: the band with the largest min ≤ attendees (default: the number of contacts).
    bands = sorted(model.get("attendee_bands", []), key=lambda b: b["min"])
    mins = np.array([b["min"] for b in bands])
    band_pts = np.array([b["points"] for b in bands] + [0])  # index -1 → no band
    attendees = acts["attendees"].fillna(acts["contacts"].map(len)).to_numpy()
    band_points = band_pts[np.searchsorted(mins, attendees, side="right") - 1]

    # Distinct actions, points by top role, then caps per deal in (date, id) order.
    a = acts[["deal", "top_role", "actions"]].explode("actions").dropna(subset=["actions"])
    a = a.reset_index().drop_duplicates(["index", "actions"])
    overrides = pd.DataFrame(
        [(x["id"], r, p) for x in model["actions"] for r, p in x.get("by_role", {}).items()],
        columns=["actions", "top_role", "override"],
    )
    a = a.merge(overrides, on=["actions", "top_role"], how="left")
    a["points"] = a["override"].fillna(a["actions"].map({x["id"]: x["points"] for x in model["actions"]}))
    a["cap"] = a["actions"].map({x["id"]: x["cap"] for x in model["actions"] if x.get("cap") is not None})
    capped = a[a["cap"].notna()]
    keys = [capped["deal"], capped["actions"]]
    clipped = np.minimum(capped.groupby(keys)["points"].cumsum(), capped["cap"])
    a.loc[capped.index, "points"] = clipped - clipped.groupby(keys).shift(fill_value=0)
    action_points = a.groupby("index")["points"].sum().reindex(acts.index, fill_value=0)
    acts["energy"] = action_points + role_points + band_points

    # The axes: total, decayed (per day), continuity series of `periods` periods ending at T.
    per_day = acts.groupby(["deal", "days_ago"], as_index=False)["energy"].sum()
    half_life = model["half_life_days"]
    per_day["decayed"] = per_day["energy"] * 0.5 ** (per_day["days_ago"] / half_life)
    p, n = model["continuity"]["period_days"], model["continuity"]["periods"]
    per_day["k"] = per_day["days_ago"] // p
    out = per_day.groupby("deal").agg(total=("energy", "sum"), decayed=("decayed", "sum"))
    series = (
        per_day[per_day["k"] < n]
        .pivot_table(index="deal", columns="k", values="energy", aggfunc="sum", fill_value=0)
        .reindex(index=out.index, columns=range(n), fill_value=0)
        .iloc[:, ::-1]  # oldest first
    )
    active = series > 0
    out["active_periods"] = active.sum(axis=1)
    out["continuity"] = out["active_periods"] / n
    out["streak"] = active.iloc[:, ::-1].astype(int).cumprod(axis=1).sum(axis=1)
    x = np.arange(n) - (n - 1) / 2
    out["slope"] = (series.to_numpy(dtype=float) @ x) / (x @ x) if n > 1 else 0.0
    return out.reset_index()


def check(frame: pa.Table, pandas_out: pd.DataFrame) -> None:
    """The two implementations agree (floats to rounding: summation orders differ)."""
    got = frame.to_pandas().set_index("deal").loc[pandas_out["deal"]]
    want = pandas_out.set_index("deal")
    for col in ("total", "active_periods", "streak"):
        assert (got[col].to_numpy() == want[col].to_numpy()).all(), col
    for col in ("decayed", "continuity", "slope"):
        assert np.allclose(got[col].to_numpy(), want[col].to_numpy(), rtol=1e-9, atol=1e-9), col
    rest = frame.filter(pc.invert(pc.is_in(frame.column("deal"), pa.array(pandas_out["deal"]))))
    assert pc.sum(rest.column("total")).as_py() in (0, None)


# ---------------------------------------------------------------------------------------------


def closed(deals: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The deals with outcomes for the backtest: every deal closed, on one of 90 days up to
    AS_OF, won or lost by a fixed pattern (the backtest's work does not depend on which)."""
    end = dt.date.fromisoformat(AS_OF)
    return [
        {**d, "outcome": "won" if (i * 7919) % 100 < 45 else "lost",
         "closed_on": (end - dt.timedelta(days=i % 90)).isoformat()}
        for i, d in enumerate(deals)
    ]


def core_rate() -> Tuple[float, str]:
    """The core's single-thread score_all rate on the same data (activities/s)."""
    target = subprocess.run([str(ROOT / "scripts" / "target-dir")], check=True, capture_output=True, text=True).stdout
    exe = Path(target.strip()) / "release" / "examples" / "profile_score"
    env = {**os.environ, "REPEAT": "1"}
    out = subprocess.run([str(exe), "10000", "1000000"], env=env, check=True, capture_output=True, text=True).stdout
    m = re.search(r"in ([0-9.]+) s", out)
    assert m, out
    return 1_000_000 / float(m.group(1)), out.strip()


def main() -> None:
    print(f"dealscore {dealscore.__version__}, Python {sys.version.split()[0]}, pandas {pd.__version__}, "
          f"pyarrow {pa.__version__}, {os.cpu_count()} cores, {RUNS} interleaved rounds", flush=True)
    table, deals, request = load()
    n = table.num_rows
    model = dealscore.Model.default()
    df = table.to_pandas(date_as_object=False)
    text = request.decode()

    history = closed(deals)

    paths: Dict[str, Callable[[], Any]] = {
        "frame1": lambda: dealscore.score_frame(table, deals=deals, as_of=AS_OF, model=model, threads=1),
        "frame": lambda: dealscore.score_frame(table, deals=deals, as_of=AS_OF, model=model),
        "backtest1": lambda: dealscore.backtest(table, history, model=model, threads=1),
        "backtest": lambda: dealscore.backtest(table, history, model=model),
        "json": lambda: dealscore.score_json(text, model=model),
        "pandas": lambda: pandas_scores(df, model.to_dict(), AS_OF),
    }
    times: Dict[str, List[float]] = {k: [] for k in [*paths, "core"]}
    results: Dict[str, Any] = {}
    # Rounds interleave the paths so that load from elsewhere on the machine hits them alike.
    for _ in range(RUNS):
        for name, fn in paths.items():
            start = time.perf_counter()
            results[name] = fn()
            times[name].append(time.perf_counter() - start)
        times["core"].append(n / core_rate()[0])
    check(results["frame"], results["pandas"])
    assert results["frame1"].equals(results["frame"]), "threads changed the result"
    assert results["backtest1"].to_json() == results["backtest"].to_json(), "threads changed the backtest"
    assert results["backtest"].deals == len(history)

    best = {k: min(v) for k, v in times.items()}
    med = {k: statistics.median(v) for k, v in times.items()}
    labels = {
        "frame1": "`score_frame(threads=1)` (pyarrow Table → pyarrow Table)",
        "frame": f"`score_frame` (every core: {os.cpu_count()} threads)",
        "backtest1": "`backtest(threads=1)` (pyarrow Table → BacktestResult)",
        "backtest": f"`backtest` (every core: {os.cpu_count()} threads)",
        "json": "`score_json` (JSON text → JSON text)",
        "pandas": "pandas, idiomatic (DataFrame → DataFrame; total, decayed, continuity only)",
        "core": "core `score_all`, single thread (`profile_score`, parsed activities)",
    }
    print()
    print(f"{n:,} activities, {results['frame'].num_rows:,} deals, as of {AS_OF}")
    print()
    print("| path | best time | activities/s (best) | median time |")
    print("|---|---:|---:|---:|")
    for k, label in labels.items():
        print(f"| {label} | {best[k]:.3f} s | {n / best[k] / 1e6:.2f} M | {med[k]:.3f} s |")
    print()
    print(f"- score_frame (every core) vs pandas (one core): {best['pandas'] / best['frame']:.1f}× faster on "
          f"best times, {med['pandas'] / med['frame']:.1f}× on medians (target ≥ 20×)")
    print(f"- score_frame(threads=1) vs pandas: {best['pandas'] / best['frame1']:.1f}× faster on best times, "
          f"{med['pandas'] / med['frame1']:.1f}× on medians")
    for bt, fr, what in (("backtest", "frame", "every core"), ("backtest1", "frame1", "threads=1")):
        print(f"- backtest vs score_frame ({what}): {best[bt] / best[fr]:.2f}× the time on best times, "
              f"{med[bt] / med[fr]:.2f}× on medians (target ≤ 1.5×)")
    print(f"- score_frame(threads=1) vs the core: {best['core'] / best['frame1']:.2f} of the core's single-thread "
          f"rate on best times, {med['core'] / med['frame1']:.2f} on medians (target ≥ 0.5)")


if __name__ == "__main__":
    main()
