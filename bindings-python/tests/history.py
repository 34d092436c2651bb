"""A small synthetic won/lost history with a planted rule, for the backtest tests and the figures
of docs/backtest.md (until `dealscore synth --outcomes` ships one in examples/).

The rule: each closed deal was won with probability ``1 / (1 + exp(-(H - m) / s))``, where ``H``
is its energy 14 days before it closed under a *hidden* points table (the default model's, but
an introduction to the boss is worth 60 points instead of 25, and an e-mail nothing), ``m`` the
median of ``H`` over the closed deals and ``s`` half their interquartile range. Won deals then
get their paperwork (an approval circular) in the last ten days before they close, after the
snapshot: scoring at the close date instead would leak the outcome into the score. Quality is
checked by the deal's manager: ``budget_secured`` more often the more active the customer (so it
goes with winning), ``competitive_edge`` at random (so it does not).

Everything is drawn from ``random.Random(seed)`` when ``planted_history`` is called: the same
seed gives the same history.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import statistics
from typing import Any, Dict, List, Tuple

import dealscore

HORIZON_DAYS = 14
TITLES = ["担当", "主任", "課長", "部長", "本部長", "CEO", "取締役"]
# The customer actions a rep reports, and how often (the paperwork comes separately).
ACTIONS = ["meeting_accepted", "visited_us", "called_us", "emailed_us", "asked_question",
           "introduced_boss", "requested_demo", "requested_quote", "budget_request"]
WEIGHTS = [10, 5, 8, 14, 9, 3, 4, 3, 1]


def hidden_model() -> dealscore.Model:
    """The points table the outcomes were drawn from."""
    table = dealscore.Model.default().to_dict()
    for action in table["actions"]:
        if action["id"] == "introduced_boss":
            action["points"] = 60
        if action["id"] == "emailed_us":
            action["points"] = 0
    return dealscore.Model.from_dict(table)


def planted_history(n_deals: int = 400, seed: int = 18) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """``(activities, deals)``: every tenth deal is still open; the others are won or lost by
    the planted rule."""
    rng = random.Random(seed)
    start = dt.date(2025, 1, 6)
    activities: List[Dict[str, Any]] = []
    deals: List[Dict[str, Any]] = []
    for d in range(n_deals):
        deal_id = f"H-{d:04}"
        closes = start + dt.timedelta(days=rng.randrange(60, 600))
        interest = rng.random()
        people = [(f"{deal_id}-p{k}", rng.choice(TITLES)) for k in range(rng.randint(1, 5))]
        for k in range(rng.randint(1, 3 + int(interest * 24))):
            met = rng.sample(people, rng.randint(1, len(people)))
            activities.append({
                "id": f"{deal_id}-a{k:02}",
                "deal": deal_id,
                "date": (closes - dt.timedelta(days=rng.randrange(1, 200))).isoformat(),
                "actions": sorted(set(rng.choices(ACTIONS, WEIGHTS, k=rng.randint(1, 2)))),
                "contacts": [{"person": p, "title": t} for p, t in met],
                "reporter": f"rep{d % 7}",
            })
        deal: Dict[str, Any] = {"id": deal_id, "maintainer": "mgr"}
        # Quality as the manager judged it: a secured budget goes with interest, a competitive
        # edge is noted at random.
        events = []
        if rng.random() < interest:
            events.append(("budget_secured", closes - dt.timedelta(days=rng.randrange(20, 120))))
        if rng.random() < 0.3:
            events.append(("competitive_edge", closes - dt.timedelta(days=rng.randrange(20, 120))))
        deal["quality_events"] = [
            {"indicator": i, "checked": True, "by": "mgr", "date": day.isoformat()} for i, day in sorted(events)
        ]
        if d % 10 != 9:
            deal["closed_on"] = closes.isoformat()
        deals.append(deal)

    # The hidden energy of each closed deal at its snapshot, then its outcome.
    scorer = dealscore.Scorer(model=hidden_model(), deals=deals)
    for a in activities:
        scorer.add(a)
    closed = [d for d in deals if "closed_on" in d]
    hidden = [
        scorer.report(d["id"], as_of=dt.date.fromisoformat(d["closed_on"]) - dt.timedelta(days=HORIZON_DAYS)).energy.total
        for d in closed
    ]
    q1, mid, q3 = statistics.quantiles(hidden, n=4)
    spread = max((q3 - q1) / 2, 1.0)
    for deal, h in zip(closed, hidden):
        won = rng.random() < 1 / (1 + math.exp(-(h - mid) / spread))
        deal["outcome"] = "won" if won else "lost"
        if won:
            closes = dt.date.fromisoformat(deal["closed_on"])
            activities.append({
                "id": f"{deal['id']}-paper",
                "deal": deal["id"],
                "date": (closes - dt.timedelta(days=rng.randint(1, 10))).isoformat(),
                "actions": ["approval_circular"],
                "contacts": [{"person": f"{deal['id']}-signer", "title": "取締役"}],
                "reporter": "rep0",
            })
    return activities, deals
