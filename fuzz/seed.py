#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from the repository's examples and vectors (run
once; the fuzzer's findings are added to `corpus/` after each campaign)."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent / "corpus"


def put(target: str, name: str, text: str) -> None:
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_text(text, encoding="utf-8")


def main() -> None:
    vectors = sorted((ROOT / "vectors").glob("*.json"))
    cases = [(p.stem, json.loads(p.read_text(encoding="utf-8"))) for p in vectors]
    compact = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    meta = ("name", "description", "op", "expected", "error_code")

    put("model", "example.toml", (ROOT / "examples" / "model.toml").read_text(encoding="utf-8"))
    put("model", "default.json", (ROOT / "core" / "data" / "default_model.json").read_text(encoding="utf-8"))
    for name, case in cases:
        if "model" in case and len(compact(case["model"])) < 4000:
            put("model", f"{name}.json", compact(case["model"]))

    lines = (ROOT / "examples" / "activities.jsonl").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines[:12]):
        put("activity", f"example-{i}.jsonl", line)
    put("activity", "records.csv",
        "id,deal,date,actions,contact_person,contact_title,attendees,reporter,note\n"
        "a1,D-1,2026-11-01,visited_us;requested_quote,森;林,部長;担当,3,sato,\"a note, with a comma\"\n"
        "a2,D-1,2026-11-02,called_us,,,,,\n")

    deals = json.loads((ROOT / "examples" / "deals.json").read_text(encoding="utf-8"))
    acts = [json.loads(l) for l in lines[:30]]
    put("score", "example.json", compact({"as_of": "2026-11-27", "deals": deals[:3], "activities": acts}))
    for name, case in cases:
        if case.get("op", "score") == "score":
            body = {k: case[k] for k in ("model", "deals", "activities", "as_of") if k in case}
            if len(compact(body)) < 6000:
                put("score", f"{name}.json", compact(body))

    qa = (ROOT / "examples" / "qa.jsonl").read_text(encoding="utf-8").splitlines()
    put("qa", "example.jsonl", "\n".join(qa[:8]) + "\n")
    for name, case in cases:
        if case.get("op") == "tokenize":
            put("qa", f"{name}.txt", case["text"])

    for name, case in cases:
        op = case.get("op")
        if op in ("backtest", "fit", "scorecard"):
            if op == "backtest":
                body = {k: case[k] for k in ("model", "deals", "activities") if k in case}
                body.update(case.get("options") or {})
            else:
                body = {k: v for k, v in case.items() if k not in meta}
            if len(compact(body)) < 8000:
                put("outcome", f"{name}.json", compact(body))


if __name__ == "__main__":
    main()
