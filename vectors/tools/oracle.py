#!/usr/bin/env python3
"""dealscore reference oracle.

An independent, deliberately plain Python implementation of the dealscore scoring model, written
from MODEL.md and docs/model.md only. It computes the "expected" output of the conformance
vectors in vectors/*.json, so the Rust core and this file cross-check each other.

Usage:
    python3 vectors/tools/oracle.py --write   # fill "expected" in every case (error cases are checked)
    python3 vectors/tools/oracle.py --check   # recompute every case, list mismatches, exit 1 on any

Only the standard library is used. Floats are computed the way a Rust f64 implementation does:
ratios are one int/int true division, `slope` is computed with exact integers and one division,
`decayed` is summed per day in ascending date order starting from 0.0 with math.pow.

Process and Q&A (MODEL.md §8): `next_steps`, the tokenizer and BM25 matching (`qa`), written from
MODEL.md §8 and the documented evaluation order of the core's BM25 sums (core/src/qa/bm25.rs doc
comment): avgdl = ΣDL / N, idf = ln(1 + (N − df + 0.5) / (df + 0.5)), norm = k1·(1 − b + b·dl/avgdl),
term = (idf·tf)/(tf + norm), each field summed from 0.0 over the distinct query tokens in query
order, score = F1 + answer_weight·F2, times stage_boost when boosted. The tokenizer approximates
the Unicode Alphabetic property by the general categories (see is_alphanumeric).
"""

import datetime
from fractions import Fraction
import json
import math
import re
import sys
import tomllib
import unicodedata
from pathlib import Path

VECTORS_DIR = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_PATH = VECTORS_DIR.parent / "core" / "data" / "default_model.toml"

DEFAULT_LABELS = {"close": "close", "qualify": "qualify", "engage": "engage", "review": "review"}
MAX_INDICATORS = 64


# =============================================================================== errors


class DealscoreError(Exception):
    """An error with a stable code (the codes of core/src/error.rs)."""

    def __init__(self, code, message=""):
        super().__init__(f"{code}: {message}")
        self.code = code


def fail(code, message):
    raise DealscoreError(code, message)


# =============================================================================== small helpers

_MISSING = object()
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value, path):
    """A civil date written exactly YYYY-MM-DD -> datetime.date, else invalid_date."""
    if not isinstance(value, str):
        fail("invalid_input", f"{path}: expected a date string")
    if not _DATE_RE.fullmatch(value):
        fail("invalid_date", f"{path}: {value!r}")
    try:
        return datetime.date(int(value[0:4]), int(value[5:7]), int(value[8:10]))
    except ValueError:
        fail("invalid_date", f"{path}: {value!r}")


def days_between(later, earlier):
    return later.toordinal() - earlier.toordinal()


def normalize_title(text):
    """NFKC, then lower-case, then trim."""
    return unicodedata.normalize("NFKC", text).lower().strip()


def check_object(obj, path, allowed=None):
    """obj must be a JSON object; when `allowed` is given, other keys are invalid_input."""
    if not isinstance(obj, dict):
        fail("invalid_input", f"{path}: expected an object")
    if allowed is not None:
        for key in obj:
            if key not in allowed:
                fail("invalid_input", f"{path}.{key}: unknown field")
    return obj


def check_list(value, path):
    if not isinstance(value, list):
        fail("invalid_input", f"{path}: expected a list")
    return value


def get_field(obj, key, path, kind, default=_MISSING):
    """Read obj[key] checking its JSON type. kind: 'str', 'int', 'num', 'list', 'obj', 'bool'.
    A missing (or null) field returns `default`, or is invalid_input when there is none."""
    value = obj.get(key)
    where = f"{path}.{key}" if path else key
    if value is None:
        if default is _MISSING:
            fail("invalid_input", f"{where}: missing")
        return default
    ok = {
        "str": isinstance(value, str),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "num": isinstance(value, (int, float)) and not isinstance(value, bool),
        "list": isinstance(value, list),
        "obj": isinstance(value, dict),
        "bool": isinstance(value, bool),
    }[kind]
    if not ok:
        fail("invalid_input", f"{where}: expected {kind}")
    return value


def get_id(obj, key, path):
    """A required, non-empty id string."""
    value = get_field(obj, key, path, "str")
    if value == "":
        fail("empty_id", f"{path}.{key}")
    return value


# =============================================================================== the model


class Model:
    """A validated model. Plain attributes, filled by load_model."""

    def __init__(self):
        self.actions = {}          # id -> {"points", "by_role", "cap"}  (model order)
        self.roles = {}            # id -> {"rank", "points"}            (model order)
        self.title_map = {}        # normalised title -> role id
        self.bands = []            # [(min, points)], min strictly increasing
        self.default_route = []    # [step dict]
        self.period_days = 7
        self.periods = 12
        self.half_life_days = 30
        self.stale_days = 30
        self.energy_threshold = 0.0
        self.quality_threshold = 0.0
        self.labels = dict(DEFAULT_LABELS)
        self.indicators = []       # [(id, weight)] in model order
        self.grades = []           # [(grade, min)] in descending min
        self.review_days = 14
        self.stages = {}           # stage id -> stale_days or None
        self.stage_list = []       # [{id, label, phase, roles, skills, actions, exit, stale_days}]
        self.qa = {"k1": 1.2, "b": 0.75, "answer_weight": 0.3, "stage_boost": 1.5,
                   "min_score": 0.0}

    def roles_by_rank(self, role_ids):
        return sorted(role_ids, key=lambda r: self.roles[r]["rank"])


def invalid_model(path, message):
    fail("invalid_model", f"{path}: {message}")


def load_step(step, path, role_ids, unknown_role_code):
    """A route step {role?, department?, person?} with at least one field."""
    check_object(step, path, {"role", "department", "person"})
    out = {}
    for key in ("role", "department", "person"):
        value = get_field(step, key, path, "str", None)
        if value is not None:
            out[key] = value
    if not out:
        if unknown_role_code == "invalid_model":
            invalid_model(path, "a route step needs role, department or person")
        fail("invalid_input", f"{path}: a route step needs role, department or person")
    if "role" in out and out["role"] not in role_ids:
        fail(unknown_role_code, f"{path}.role: unknown role {out['role']!r}")
    return out


MODEL_FIELDS = {"schema", "actions", "roles", "attendee_bands", "default_route", "continuity",
                "half_life_days", "stale_days", "status", "quality", "process", "qa"}


def load_model(raw, path="model"):
    """Validate one model object (already parsed from JSON/TOML) and return a Model."""
    check_object(raw, path, MODEL_FIELDS)
    m = Model()

    schema = get_field(raw, "schema", path, "int")
    if schema != 1:
        invalid_model(f"{path}.schema", "must be 1")

    # ---- roles first (actions' by_role refers to them)
    roles = get_field(raw, "roles", path, "list")
    seen_ranks = {}
    for i, r in enumerate(roles):
        rp = f"{path}.roles[{i}]"
        check_object(r, rp, {"id", "label", "rank", "points", "aliases"})
        rid = get_field(r, "id", rp, "str")
        get_field(r, "label", rp, "str")
        rank = get_field(r, "rank", rp, "int")
        points = get_field(r, "points", rp, "int")
        aliases = get_field(r, "aliases", rp, "list", [])
        if rid == "":
            invalid_model(f"{rp}.id", "empty id")
        if rid in m.roles:
            invalid_model(f"{rp}.id", f"duplicate role id {rid!r}")
        if points < 0:
            invalid_model(f"{rp}.points", "negative points")
        if rank in seen_ranks:
            invalid_model(f"{rp}.rank", f"rank {rank} repeated")
        seen_ranks[rank] = rid
        m.roles[rid] = {"rank": rank, "points": points}
    for i, r in enumerate(roles):
        rp = f"{path}.roles[{i}]"
        names = [r["id"], r["label"]]
        for j, alias in enumerate(r.get("aliases") or []):
            if not isinstance(alias, str):
                fail("invalid_input", f"{rp}.aliases[{j}]: expected a string")
            names.append(alias)
        for name in names:
            key = normalize_title(name)
            owner = m.title_map.get(key)
            if owner is not None and owner != r["id"]:
                invalid_model(f"{rp}.aliases", f"title {name!r} maps to {owner!r} and {r['id']!r}")
            m.title_map[key] = r["id"]

    # ---- actions
    for i, a in enumerate(get_field(raw, "actions", path, "list")):
        ap = f"{path}.actions[{i}]"
        check_object(a, ap, {"id", "label", "points", "by_role", "cap"})
        aid = get_field(a, "id", ap, "str")
        get_field(a, "label", ap, "str")
        points = get_field(a, "points", ap, "int")
        by_role = get_field(a, "by_role", ap, "obj", {})
        cap = get_field(a, "cap", ap, "int", None)
        if aid == "":
            invalid_model(f"{ap}.id", "empty id")
        if aid in m.actions:
            invalid_model(f"{ap}.id", f"duplicate action id {aid!r}")
        if points < 0:
            invalid_model(f"{ap}.points", "negative points")
        if cap is not None and cap < 0:
            invalid_model(f"{ap}.cap", "negative cap")
        for role_id, role_points in by_role.items():
            if not isinstance(role_points, int) or isinstance(role_points, bool):
                fail("invalid_input", f"{ap}.by_role.{role_id}: expected int")
            if role_id not in m.roles:
                invalid_model(f"{ap}.by_role.{role_id}", "unknown role")
            if role_points < 0:
                invalid_model(f"{ap}.by_role.{role_id}", "negative points")
        m.actions[aid] = {"points": points, "by_role": dict(by_role), "cap": cap}

    # ---- attendee bands
    for i, b in enumerate(get_field(raw, "attendee_bands", path, "list", [])):
        bp = f"{path}.attendee_bands[{i}]"
        check_object(b, bp, {"min", "points"})
        bmin = get_field(b, "min", bp, "int")
        points = get_field(b, "points", bp, "int")
        if points < 0:
            invalid_model(f"{bp}.points", "negative points")
        if m.bands and bmin <= m.bands[-1][0]:
            invalid_model(f"{bp}.min", "bands must be strictly increasing in min")
        m.bands.append((bmin, points))

    # ---- default route
    for i, s in enumerate(get_field(raw, "default_route", path, "list", [])):
        m.default_route.append(load_step(s, f"{path}.default_route[{i}]", m.roles, "invalid_model"))

    # ---- continuity, half-life, stale days
    cont = get_field(raw, "continuity", path, "obj", {})
    check_object(cont, f"{path}.continuity", {"period_days", "periods"})
    m.period_days = get_field(cont, "period_days", f"{path}.continuity", "int", 7)
    m.periods = get_field(cont, "periods", f"{path}.continuity", "int", 12)
    if m.period_days < 1:
        invalid_model(f"{path}.continuity.period_days", "must be >= 1")
    if m.periods < 1:
        invalid_model(f"{path}.continuity.periods", "must be >= 1")
    m.half_life_days = get_field(raw, "half_life_days", path, "num", 30)
    if not m.half_life_days > 0:
        invalid_model(f"{path}.half_life_days", "must be > 0")
    m.stale_days = get_field(raw, "stale_days", path, "int", 30)
    if m.stale_days < 1:
        invalid_model(f"{path}.stale_days", "must be >= 1")

    # ---- status
    st = get_field(raw, "status", path, "obj")
    sp = f"{path}.status"
    check_object(st, sp, {"energy_threshold", "quality_threshold", "labels"})
    m.energy_threshold = get_field(st, "energy_threshold", sp, "num")
    m.quality_threshold = get_field(st, "quality_threshold", sp, "num")
    for key in ("energy_threshold", "quality_threshold"):
        if not math.isfinite(st[key]):
            invalid_model(f"{sp}.{key}", "must be finite")
    labels = get_field(st, "labels", sp, "obj", {})
    check_object(labels, f"{sp}.labels", set(DEFAULT_LABELS))
    for key in DEFAULT_LABELS:
        m.labels[key] = get_field(labels, key, f"{sp}.labels", "str", DEFAULT_LABELS[key])

    # ---- quality
    q = get_field(raw, "quality", path, "obj", {})
    qp = f"{path}.quality"
    check_object(q, qp, {"indicators", "grades", "review_days"})
    indicators = get_field(q, "indicators", qp, "list", [])
    if len(indicators) > MAX_INDICATORS:
        invalid_model(f"{qp}.indicators", f"more than {MAX_INDICATORS} indicators")
    for i, ind in enumerate(indicators):
        ip = f"{qp}.indicators[{i}]"
        check_object(ind, ip, {"id", "label", "weight"})
        iid = get_field(ind, "id", ip, "str")
        get_field(ind, "label", ip, "str")
        weight = get_field(ind, "weight", ip, "num", 1)
        if iid == "":
            invalid_model(f"{ip}.id", "empty id")
        if iid in [x for x, _ in m.indicators]:
            invalid_model(f"{ip}.id", f"duplicate indicator id {iid!r}")
        if weight < 0:
            invalid_model(f"{ip}.weight", "negative weight")
        m.indicators.append((iid, weight))
    for i, g in enumerate(get_field(q, "grades", qp, "list", [])):
        gp = f"{qp}.grades[{i}]"
        check_object(g, gp, {"grade", "min"})
        grade = get_field(g, "grade", gp, "str")
        gmin = get_field(g, "min", gp, "num")
        if grade == "":
            invalid_model(f"{gp}.grade", "empty id")
        if grade in [x for x, _ in m.grades]:
            invalid_model(f"{gp}.grade", f"duplicate grade {grade!r}")
        if m.grades and not gmin < m.grades[-1][1]:
            invalid_model(f"{gp}.min", "grades must be strictly decreasing in min")
        m.grades.append((grade, gmin))
    m.review_days = get_field(q, "review_days", qp, "int", 14)
    if m.review_days < 0:
        invalid_model(f"{qp}.review_days", "must be >= 0")

    # ---- process
    proc = get_field(raw, "process", path, "obj", {})
    check_object(proc, f"{path}.process", {"stages"})
    for i, s in enumerate(get_field(proc, "stages", f"{path}.process", "list", [])):
        sp = f"{path}.process.stages[{i}]"
        check_object(s, sp, {"id", "label", "phase", "roles", "skills", "actions", "exit", "stale_days"})
        sid = get_field(s, "id", sp, "str")
        label = get_field(s, "label", sp, "str")
        phase = get_field(s, "phase", sp, "str")
        if phase not in ("sales", "support"):
            fail("invalid_input", f"{sp}.phase: expected 'sales' or 'support'")
        lists = {}
        for key in ("roles", "skills", "actions"):
            lists[key] = get_field(s, key, sp, "list", [])
            for j, v in enumerate(lists[key]):
                if not isinstance(v, str):
                    fail("invalid_input", f"{sp}.{key}[{j}]: expected a string")
        criteria = []
        for j, c in enumerate(get_field(s, "exit", sp, "list", [])):
            cp = f"{sp}.exit[{j}]"
            check_object(c, cp, {"id", "label"})
            cid = get_field(c, "id", cp, "str")
            clabel = get_field(c, "label", cp, "str")
            if cid == "":
                invalid_model(f"{cp}.id", "empty id")
            if cid in [x["id"] for x in criteria]:
                invalid_model(f"{cp}.id", f"duplicate criterion {cid!r}")
            criteria.append({"id": cid, "label": clabel})
        stale = get_field(s, "stale_days", sp, "int", None)
        if stale is not None and stale < 1:
            invalid_model(f"{sp}.stale_days", "must be >= 1")
        if sid == "":
            invalid_model(f"{sp}.id", "empty id")
        if sid in m.stages:
            invalid_model(f"{sp}.id", f"duplicate stage id {sid!r}")
        m.stages[sid] = stale
        m.stage_list.append({"id": sid, "label": label, "phase": phase, "roles": lists["roles"],
                             "skills": lists["skills"], "actions": lists["actions"],
                             "exit": criteria, "stale_days": stale})

    # ---- qa: BM25 parameters (MODEL.md §2 defaults), kept as floats
    qa = get_field(raw, "qa", path, "obj", {})
    qap = f"{path}.qa"
    check_object(qa, qap, {"k1", "b", "answer_weight", "stage_boost", "min_score"})
    for key, default in m.qa.items():
        m.qa[key] = float(get_field(qa, key, qap, "num", default))
    if m.qa["k1"] < 0:
        invalid_model(f"{qap}.k1", "must be >= 0")
    if not 0 <= m.qa["b"] <= 1:
        invalid_model(f"{qap}.b", "must be in [0, 1]")

    return m


def load_model_set(raw):
    """A model file or a model set {default, models}. Returns (default name, {name: Model})."""
    check_object(raw, "model")
    if "models" not in raw:
        return "default", {"default": load_model(raw)}
    check_object(raw, "model", {"default", "models"})
    default = get_field(raw, "default", "", "str")
    models = get_field(raw, "models", "", "obj")
    out = {name: load_model(m, f"models.{name}") for name, m in models.items()}
    if default not in out:
        invalid_model("default", f"names no model in the set: {default!r}")
    return default, out


def default_model_raw():
    with open(DEFAULT_MODEL_PATH, "rb") as f:
        return tomllib.load(f)


# =============================================================================== deals and activities


def load_deal(raw, path, model_set):
    """Validate a Deal record. Returns a plain dict with parsed dates and its model name."""
    default_name, models = model_set
    check_object(raw, path)
    deal_id = get_id(raw, "id", path)
    model_name = get_field(raw, "model", path, "str", None)
    if model_name is not None and model_name not in models:
        fail("unknown_model", f"deal {deal_id!r} names unknown model {model_name!r}")
    model = models[model_name if model_name is not None else default_name]

    stage = get_field(raw, "stage", path, "str", None)
    if stage is not None and stage not in model.stages:
        fail("unknown_stage", f"deal {deal_id!r} names unknown stage {stage!r}")

    route = [load_step(s, f"{path}.route[{i}]", model.roles, "unknown_role")
             for i, s in enumerate(get_field(raw, "route", path, "list", []))]

    members = []
    for i, mem in enumerate(get_field(raw, "members", path, "list", [])):
        mp = f"{path}.members[{i}]"
        check_object(mem, mp)
        user = get_id(mem, "user", mp)
        notify = get_field(mem, "notify", mp, "str", "all")
        if notify not in ("all", "digest", "none"):
            fail("invalid_input", f"{mp}.notify: expected all, digest or none")
        members.append({"user": user, "notify": notify})

    maintainer = get_field(raw, "maintainer", path, "str", None)
    indicator_ids = [iid for iid, _ in model.indicators]
    events = []
    for i, ev in enumerate(get_field(raw, "quality_events", path, "list", [])):
        ep = f"{path}.quality_events[{i}]"
        check_object(ev, ep)
        indicator = get_field(ev, "indicator", ep, "str")
        checked = get_field(ev, "checked", ep, "bool")
        by = get_field(ev, "by", ep, "str")
        date = parse_date(get_field(ev, "date", ep, "str"), f"{ep}.date")
        if indicator not in indicator_ids:
            fail("unknown_indicator", f"deal {deal_id!r}: unknown indicator {indicator!r}")
        if maintainer is not None and by != maintainer:
            fail("not_maintainer", f"deal {deal_id!r}: event by {by!r}, maintainer is {maintainer!r}")
        events.append({"indicator": indicator, "checked": checked, "by": by, "date": date,
                       "position": i})

    snoozed = get_field(raw, "snoozed_until", path, "str", None)
    snoozed_until = parse_date(snoozed, f"{path}.snoozed_until") if snoozed is not None else None

    # OUTCOMES.md §1: won or lost, with a close date; absent or null while open.
    outcome = get_field(raw, "outcome", path, "str", None)
    if outcome is not None and outcome not in ("won", "lost"):
        fail("invalid_input", f"{path}.outcome: expected won or lost")
    closed = get_field(raw, "closed_on", path, "str", None)
    closed_on = parse_date(closed, f"{path}.closed_on") if closed is not None else None
    if outcome is not None and closed_on is None:
        fail("invalid_input", f"{path}.closed_on: required with an outcome")

    return {"id": deal_id, "model": model, "stage": stage, "route": route, "members": members,
            "maintainer": maintainer, "events": events, "snoozed_until": snoozed_until,
            "outcome": outcome, "closed_on": closed_on}


def load_activity(raw, path, model_for_deal):
    """Validate an Activity against its deal's model. Unknown fields are ignored."""
    check_object(raw, path)
    act_id = get_id(raw, "id", path)
    deal_id = get_id(raw, "deal", path)
    date = parse_date(get_field(raw, "date", path, "str"), f"{path}.date")
    model = model_for_deal(deal_id)

    actions = []
    for i, a in enumerate(get_field(raw, "actions", path, "list", [])):
        if not isinstance(a, str):
            fail("invalid_input", f"{path}.actions[{i}]: expected a string")
        if a not in model.actions:
            fail("unknown_action", f"activity {act_id!r} names unknown action {a!r}")
        if a not in actions:          # a set: duplicates count once, first appearance order
            actions.append(a)

    contacts = []
    for i, c in enumerate(get_field(raw, "contacts", path, "list", [])):
        cp = f"{path}.contacts[{i}]"
        check_object(c, cp)
        contact = {k: get_field(c, k, cp, "str", None)
                   for k in ("person", "role", "title", "department")}
        # role wins over title; an unmapped title leaves the contact role-less
        if contact["role"] is not None:
            if contact["role"] not in model.roles:
                fail("unknown_role", f"activity {act_id!r} names unknown role {contact['role']!r}")
            contact["resolved"] = contact["role"]
            contact["unmapped"] = None
        elif contact["title"] is not None:
            contact["resolved"] = model.title_map.get(normalize_title(contact["title"]))
            contact["unmapped"] = contact["title"] if contact["resolved"] is None else None
        else:
            contact["resolved"] = None
            contact["unmapped"] = None
        contacts.append(contact)

    attendees = get_field(raw, "attendees", path, "int", len(contacts))
    if attendees < 0:
        fail("invalid_input", f"{path}.attendees: must be >= 0")
    reporter = get_field(raw, "reporter", path, "str", None)
    return {"id": act_id, "deal": deal_id, "date": date, "actions": actions,
            "contacts": contacts, "attendees": attendees, "reporter": reporter}


class Input:
    """A validated input: model set, deals, activities and the as-of date."""

    def __init__(self, case):
        raw_model = case.get("model")
        self.model_set = load_model_set(raw_model if raw_model is not None else default_model_raw())
        default_name, models = self.model_set

        self.deals = {}
        for i, d in enumerate(check_list(case.get("deals", []), "deals")):
            deal = load_deal(d, f"deals[{i}]", self.model_set)
            if deal["id"] in self.deals:
                fail("duplicate_deal", f"deal id {deal['id']!r} appears more than once")
            self.deals[deal["id"]] = deal

        def model_for_deal(deal_id):
            deal = self.deals.get(deal_id)
            return deal["model"] if deal is not None else models[default_name]

        self.model_for_deal = model_for_deal
        self.activities = []
        seen = set()
        for i, a in enumerate(check_list(case.get("activities", []), "activities")):
            act = load_activity(a, f"activities[{i}]", model_for_deal)
            if act["id"] in seen:
                fail("duplicate_activity", f"activity id {act['id']!r} appears more than once")
            seen.add(act["id"])
            self.activities.append(act)

        self.as_of = parse_date(get_field(case, "as_of", "", "str"), "as_of")

    def deal_ids(self):
        return sorted(set(self.deals) | {a["deal"] for a in self.activities})

    def deal_or_default(self, deal_id):
        """The Deal record, or the defaults used for a deal that has none."""
        deal = self.deals.get(deal_id)
        if deal is not None:
            return deal
        return {"id": deal_id, "model": self.model_for_deal(deal_id), "stage": None, "route": [],
                "members": [], "maintainer": None, "events": [], "snoozed_until": None,
                "outcome": None, "closed_on": None}


# =============================================================================== energy


def top_role(model, contacts):
    roles = [c["resolved"] for c in contacts if c["resolved"] is not None]
    if not roles:
        return None
    return max(roles, key=lambda r: model.roles[r]["rank"])


def band_for(model, attendees):
    """The band with the largest min <= attendees, or None."""
    found = None
    for bmin, points in model.bands:
        if bmin <= attendees:
            found = (bmin, points)
    return found


def apply_activities(model, activities):
    """Score a deal's counted activities in (date, id) order, clipping capped actions.
    Returns one entry per activity: {"activity", "top", "items", "energy"}."""
    ordered = sorted(activities, key=lambda a: (a["date"], a["id"].encode("utf-8")))
    used = {}                      # action id -> points earned so far by this deal
    scored = []
    for act in ordered:
        top = top_role(model, act["contacts"])
        items = []
        for action_id in act["actions"]:
            action = model.actions[action_id]
            points = action["by_role"].get(top, action["points"]) if top is not None else action["points"]
            if action["cap"] is not None:
                points = min(points, action["cap"] - used.get(action_id, 0))
            used[action_id] = used.get(action_id, 0) + points
            items.append({"kind": "action", "id": action_id, "points": points})
        if top is not None:
            items.append({"kind": "role", "id": top, "points": model.roles[top]["points"]})
        band = band_for(model, act["attendees"])
        if band is not None:
            items.append({"kind": "attendees", "id": str(band[0]), "points": band[1]})
        energy = sum(item["points"] for item in items)
        scored.append({"activity": act, "top": top, "items": items, "energy": energy})
    return scored


# =============================================================================== quality


def replay_quality(model, deal, as_of):
    """Replay the deal's quality events dated <= as_of in (date, position) order.
    Returns the quality dict including "history", or None when the model has no indicators."""
    if not model.indicators:
        return None
    events = sorted((e for e in deal["events"] if e["date"] <= as_of),
                    key=lambda e: (e["date"], e["position"]))
    total_weight = sum(w for _, w in model.indicators)
    checked = set()

    def score():
        got = sum(w for iid, w in model.indicators if iid in checked)
        return got / total_weight if total_weight else 0.0

    history = []
    for e in events:
        if e["checked"]:
            checked.add(e["indicator"])
        else:
            checked.discard(e["indicator"])
        history.append({"date": e["date"].isoformat(), "indicator": e["indicator"],
                        "checked": e["checked"], "by": e["by"], "score": score()})
    s = score() if events else 0.0
    grade = next((g for g, gmin in model.grades if gmin <= s), None)
    needs_review = not events or days_between(as_of, events[-1]["date"]) > model.review_days
    return {"score": s, "grade": grade,
            "checked": [iid for iid, _ in model.indicators if iid in checked],
            "unchecked": [iid for iid, _ in model.indicators if iid not in checked],
            "needs_review": needs_review, "history": history}


# =============================================================================== the deal report


def slope_of(series):
    n = len(series)
    if n == 1:
        return 0.0
    sx = sum(range(n))
    sy = sum(series)
    sxx = sum(x * x for x in range(n))
    sxy = sum(x * y for x, y in enumerate(series))
    return (n * sxy - sx * sy) / (n * sxx - sx * sx)


def step_matches(step, contact):
    values = {"role": contact["resolved"], "department": contact["department"],
              "person": contact["person"]}
    return all(values[k] == v for k, v in step.items())


def deal_stale_days(deal):
    model = deal["model"]
    if deal["stage"] is not None and model.stages.get(deal["stage"]) is not None:
        return model.stages[deal["stage"]]
    return model.stale_days


def analyse_deal(inp, deal_id):
    """Everything about one deal as of T: the report plus a few internals the stale list needs."""
    T = inp.as_of
    deal = inp.deal_or_default(deal_id)
    model = deal["model"]
    mine = [a for a in inp.activities if a["deal"] == deal_id]
    counted = [a for a in mine if a["date"] <= T]
    future_ignored = len(mine) - len(counted)
    scored = apply_activities(model, counted)
    bearing = [s for s in scored if s["energy"] > 0]

    # ---- energy
    total = sum(s["energy"] for s in scored)
    by_action, by_role, by_reporter = {}, {}, {}
    for s in scored:
        for item in s["items"]:
            if item["kind"] == "action":
                by_action[item["id"]] = by_action.get(item["id"], 0) + item["points"]
        if s["top"] is not None:
            by_role[s["top"]] = by_role.get(s["top"], 0) + s["energy"]
        reporter = s["activity"]["reporter"]
        if reporter is not None:
            by_reporter[reporter] = by_reporter.get(reporter, 0) + s["energy"]
    per_day = {}
    for s in scored:
        d = s["activity"]["date"]
        per_day[d] = per_day.get(d, 0) + s["energy"]
    decayed = 0.0
    for d in sorted(per_day):
        decayed += per_day[d] * math.pow(0.5, days_between(T, d) / model.half_life_days)

    energy = {"total": total, "decayed": decayed,
              "by_action": dict(sorted(by_action.items())),
              "by_role": dict(sorted(by_role.items())),
              "by_reporter": dict(sorted(by_reporter.items()))}

    # ---- breadth
    contacts = [c for s in bearing for c in s["activity"]["contacts"]]
    people = sorted({c["person"] for c in contacts if c["person"] is not None})
    roles = model.roles_by_rank({c["resolved"] for c in contacts if c["resolved"] is not None})
    departments = sorted({c["department"] for c in contacts if c["department"] is not None})
    top = roles[-1] if roles else None
    steps = deal["route"] if deal["route"] else model.default_route
    covered = [st for st in steps if any(step_matches(st, c) for c in contacts)]
    missing = [st for st in steps if not any(step_matches(st, c) for c in contacts)]
    coverage = len(covered) / len(steps) if steps else None
    breadth_score = coverage if steps else len(roles) / len(model.roles)
    breadth = {"people": people, "roles": roles, "departments": departments, "top_role": top,
               "route": {"steps": steps, "covered": covered, "missing": missing,
                         "coverage": coverage},
               "score": breadth_score}

    # ---- continuity
    p, n = model.period_days, model.periods
    series = [0] * n
    for s in scored:
        k = days_between(T, s["activity"]["date"]) // p
        if k < n:
            series[n - 1 - k] += s["energy"]
    active = sum(1 for e in series if e > 0)
    streak = 0
    for e in reversed(series):
        if e <= 0:
            break
        streak += 1
    last_bearing = max((s["activity"]["date"] for s in bearing), default=None)
    days_since_last = days_between(T, last_bearing) if last_bearing is not None else None
    slope = slope_of(series)
    continuity = {"period_days": p, "series": series, "active_periods": active,
                  "ratio": active / n, "streak": streak, "days_since_last": days_since_last,
                  "slope": slope}

    # ---- quality
    q = replay_quality(model, deal, T)
    quality = None if q is None else {k: q[k] for k in
                                      ("score", "grade", "checked", "unchecked", "needs_review")}

    # ---- signals
    signals = []
    stale_days = deal_stale_days(deal)
    if days_since_last is None or days_since_last >= stale_days:
        signals.append({"kind": "no_energy", "days_since_last": days_since_last,
                        "stale_days": stale_days})
    half = n // 2
    older, newer = sum(series[:half]), sum(series[n - half:])
    if slope < 0 and newer < older:
        signals.append({"kind": "declining", "slope": slope, "older": older, "newer": newer})
    if top is not None:
        seen = [s["activity"]["date"] for s in bearing
                if any(c["resolved"] == top for c in s["activity"]["contacts"])]
        last_seen = max(seen)
        if days_between(T, last_seen) >= n * p:
            signals.append({"kind": "top_role_absent", "role": top,
                            "last_seen": last_seen.isoformat()})
    if len(people) == 1:
        signals.append({"kind": "single_threaded", "person": people[0]})
    first_counted = min((a["date"] for a in counted), default=None)
    if (steps and coverage < 0.5 and first_counted is not None
            and days_between(T, first_counted) >= n * p):
        signals.append({"kind": "route_gap", "coverage": coverage, "missing": len(missing)})

    # ---- status
    energy_high = total >= model.energy_threshold
    quality_high = quality is not None and quality["score"] >= model.quality_threshold
    if energy_high:
        status_key = "close" if quality_high else "qualify"
    else:
        status_key = "engage" if quality_high else "review"
    status = model.labels[status_key]

    last_contact = max((a["date"] for a in counted), default=None)
    unmapped = sorted({c["unmapped"] for a in counted for c in a["contacts"]
                       if c["unmapped"] is not None})

    report = {"deal": deal_id, "as_of": T.isoformat(), "energy": energy, "breadth": breadth,
              "continuity": continuity, "quality": quality, "signals": signals,
              "status": status,
              "last_contact": last_contact.isoformat() if last_contact else None,
              "unmapped_titles": unmapped, "future_ignored": future_ignored}
    return {"report": report, "deal": deal, "scored": scored, "last_contact": last_contact,
            "last_bearing": last_bearing}


# =============================================================================== operations


def op_score(case):
    inp = Input(case)
    return [analyse_deal(inp, deal_id)["report"] for deal_id in inp.deal_ids()]


def op_explain(case):
    inp = Input(case)
    rows = []
    for deal_id in inp.deal_ids():
        for s in analyse_deal(inp, deal_id)["scored"]:
            act = s["activity"]
            rows.append({"activity": act["id"], "deal": deal_id, "date": act["date"].isoformat(),
                         "energy": s["energy"], "items": s["items"]})
    rows.sort(key=lambda r: (r["deal"].encode("utf-8"), r["date"], r["activity"].encode("utf-8")))
    return rows


def op_quality(case):
    inp = Input(case)
    deal_id = get_field(case, "deal", "", "str")
    if deal_id not in inp.deals and deal_id not in {a["deal"] for a in inp.activities}:
        fail("unknown_deal", f"unknown deal {deal_id!r}")
    deal = inp.deal_or_default(deal_id)
    q = replay_quality(deal["model"], deal, inp.as_of)
    if q is None:
        return None
    return {"deal": deal_id, "as_of": inp.as_of.isoformat(), **q}


def op_stale(case):
    inp = Input(case)
    T = inp.as_of
    options = check_object(case.get("options", {}), "options", {"days", "basis"})
    days = get_field(options, "days", "options", "int", None)
    if days is not None and days < 1:
        fail("invalid_input", "options.days: must be >= 1")
    basis = get_field(options, "basis", "options", "str", "contact")
    if basis not in ("contact", "energy"):
        fail("invalid_input", "options.basis: expected contact or energy")

    snoozed = 0
    rows = []
    for deal_id in inp.deal_ids():
        info = analyse_deal(inp, deal_id)
        deal, report = info["deal"], info["report"]
        if deal["outcome"] is not None and deal["closed_on"] <= T:
            continue                                    # closed: nobody should chase it
        last = info["last_contact"] if basis == "contact" else info["last_bearing"]
        days_since = days_between(T, last) if last is not None else None
        threshold = days if days is not None else deal_stale_days(deal)
        if days_since is not None and days_since < threshold:
            continue                                    # not stale
        if deal["snoozed_until"] is not None and deal["snoozed_until"] >= T:
            snoozed += 1                                # stale, but snoozed
            continue
        quality = report["quality"]
        rows.append({"deal": deal_id, "last_date": last.isoformat() if last else None,
                     "days_since": days_since, "stale_days": threshold,
                     "total": report["energy"]["total"], "breadth": report["breadth"]["score"],
                     "continuity": report["continuity"]["ratio"],
                     "quality": quality["score"] if quality else None,
                     "grade": quality["grade"] if quality else None,
                     "status": report["status"]})
    rows.sort(key=lambda r: (r["days_since"] is not None, -(r["days_since"] or 0),
                             r["deal"].encode("utf-8")))
    return {"as_of": T.isoformat(), "basis": basis, "snoozed": snoozed, "deals": rows}


def op_recipients(case):
    deal = check_object(case.get("deal"), "deal")
    activity = check_object(case.get("activity"), "activity")
    deal_id = get_id(deal, "id", "deal")
    act_id = get_id(activity, "id", "activity")
    act_deal = get_id(activity, "deal", "activity")
    if act_deal != deal_id:
        fail("deal_mismatch", f"activity {act_id!r} belongs to deal {act_deal!r}, not {deal_id!r}")
    reporter = get_field(activity, "reporter", "activity", "str", None)
    users = set()
    for i, mem in enumerate(get_field(deal, "members", "deal", "list", [])):
        mp = f"deal.members[{i}]"
        check_object(mem, mp)
        user = get_id(mem, "user", mp)
        notify = get_field(mem, "notify", mp, "str", "all")
        if notify not in ("all", "digest", "none"):
            fail("invalid_input", f"{mp}.notify: expected all, digest or none")
        if notify != "none" and user != reporter:
            users.add(user)
    return sorted(users, key=lambda u: u.encode("utf-8"))


def snapshot(report):
    quality = report["quality"]
    return {"total": report["energy"]["total"], "status": report["status"],
            "grade": quality["grade"] if quality is not None else None}


def step_words(step):
    """A route step in words: the named fields, role then department then person, joined by ' / '."""
    return " / ".join(step[k] for k in ("role", "department", "person") if k in step)


def report_changes(before, after):
    """docs/model.md, "A new daily report": the table of change kinds, in its order."""
    out = []
    a, b = before["energy"]["total"], after["energy"]["total"]
    if a != b:
        out.append({"kind": "energy", "from": a, "to": b, "text": f"energy +{b - a}"})
    if before["status"] != after["status"]:
        out.append({"kind": "status", "from": before["status"], "to": after["status"],
                    "text": f"status {before['status']} → {after['status']}"})
    was, now = before["breadth"]["top_role"], after["breadth"]["top_role"]
    if was != now:
        if now is not None and (was is None or was in after["breadth"]["roles"]):
            text = f"top role reached: {now}"
        elif now is not None:
            text = f"top role lost: {was} → {now}"
        else:
            text = f"top role lost: {was}"
        out.append({"kind": "top_role", "from": was, "to": now, "text": text})
    covered_before = before["breadth"]["route"]["covered"]
    covered_after = after["breadth"]["route"]["covered"]
    for step in after["breadth"]["route"]["steps"]:
        if step in covered_after and step not in covered_before:
            out.append({"kind": "route_step_covered", "step": step,
                        "text": f"route step covered: {step_words(step)}"})
    for step in before["breadth"]["route"]["steps"]:
        if step in covered_before and step not in covered_after:
            out.append({"kind": "route_step_uncovered", "step": step,
                        "text": f"route step no longer covered: {step_words(step)}"})
    kinds_before = [sig["kind"] for sig in before["signals"]]
    kinds_after = [sig["kind"] for sig in after["signals"]]
    cleared = [k for k in kinds_before if k not in kinds_after]
    if cleared:
        out.append({"kind": "signals_cleared", "signals": cleared,
                    "text": "signals cleared: " + ", ".join(cleared)})
    new = [k for k in kinds_after if k not in kinds_before]
    if new:
        out.append({"kind": "new_signals", "signals": new, "text": "new signals: " + ", ".join(new)})
    return out


def op_on_report(case):
    """A new daily report: recipients split by notify, the deal without and with the report, and
    what changed. Errors in the documented order: the report's ids, the deal's record, the
    report's deal, then the input as score checks it (the history, then the report)."""
    report = check_object(case.get("report"), "report")
    get_id(report, "id", "report")
    report_deal = get_id(report, "deal", "report")
    deal_id = get_field(case, "deal", "", "str", None)
    if deal_id is None:
        deal_id = report_deal
    raw_deals = check_list(case.get("deals", []), "deals")
    record = next((d for d in raw_deals if isinstance(d, dict) and d.get("id") == deal_id), None)
    if record is None:
        fail("unknown_deal", f"no deal record {deal_id!r}")
    get_id(record, "id", "deal")
    members = load_member_list(record, "deal")
    if report_deal != deal_id:
        fail("deal_mismatch", f"report belongs to deal {report_deal!r}, not {deal_id!r}")
    reporter = get_field(report, "reporter", "report", "str", None)
    told = {m["user"] for m in members if m["notify"] == "all" and m["user"] != reporter}
    digest = {m["user"] for m in members if m["notify"] == "digest" and m["user"] != reporter} - told
    history = check_list(case.get("activities", []), "activities")
    before = analyse_deal(Input({**case, "activities": history}), deal_id)["report"]
    after = analyse_deal(Input({**case, "activities": history + [report]}), deal_id)["report"]
    return {"recipients": {"immediate": sorted(told, key=utf8_key), "digest": sorted(digest, key=utf8_key)},
            "before": snapshot(before), "after": snapshot(after),
            "changes": report_changes(before, after)}


# =============================================================================== process (§8)


def load_member_list(raw_deal, path):
    """A deal's members as plain dicts {user, role, skills, notify} (input order, duplicates kept)."""
    members = []
    for i, mem in enumerate(get_field(raw_deal, "members", path, "list", [])):
        mp = f"{path}.members[{i}]"
        check_object(mem, mp)
        user = get_id(mem, "user", mp)          # MODEL.md §2: all ids are non-empty
        role = get_field(mem, "role", mp, "str", None)
        skills = get_field(mem, "skills", mp, "list", [])
        for j, sk in enumerate(skills):
            if not isinstance(sk, str):
                fail("invalid_input", f"{mp}.skills[{j}]: expected a string")
        notify = get_field(mem, "notify", mp, "str", "all")
        if notify not in ("all", "digest", "none"):
            fail("invalid_input", f"{mp}.notify: expected all, digest or none")
        members.append({"user": user, "role": role, "skills": skills, "notify": notify})
    return members


def load_process_deal(raw, path, model_set):
    """The parts of a Deal that next_steps and qa read: id, its model, stage and members.
    The deal's own stage is not checked here (next_steps and qa check the stage they use)."""
    default_name, models = model_set
    check_object(raw, path)
    deal_id = get_id(raw, "id", path)           # MODEL.md §2: all ids are non-empty
    model_name = get_field(raw, "model", path, "str", None)
    if model_name is not None and model_name not in models:
        fail("unknown_model", f"deal {deal_id!r} names unknown model {model_name!r}")
    model = models[model_name if model_name is not None else default_name]
    return {"id": deal_id, "model": model, "stage": get_field(raw, "stage", path, "str", None),
            "members": load_member_list(raw, path)}


def find_stage(model, stage_id, context):
    """(index, stage) of stage_id in the model's process, else unknown_stage."""
    for i, st in enumerate(model.stage_list):
        if st["id"] == stage_id:
            return i, st
    fail("unknown_stage", f"{context}: unknown stage {stage_id!r}")


def utf8_key(text):
    return text.encode("utf-8")


def members_with(deal, keep):
    """Distinct user ids of the members for which keep(member) holds, in byte order."""
    return sorted({m["user"] for m in deal["members"] if keep(m)}, key=utf8_key)


def experts(deal, skills):
    """Members whose skills cover any of `skills`: [{user, skills}] with the covered skills in the
    stage's order, most skills first, then user id. A user listed more than once is one person:
    the skills of all their member entries count together (so the list names each user once)."""
    have = {}
    for m in deal["members"]:
        have.setdefault(m["user"], set()).update(m["skills"])
    rows = []
    for user, user_skills in have.items():
        covered = [sk for sk in skills if sk in user_skills]
        if covered:
            rows.append({"user": user, "skills": covered})
    rows.sort(key=lambda r: (-len(r["skills"]), utf8_key(r["user"])))
    return rows


def op_next_steps(case):
    raw_model = case.get("model")
    model_set = load_model_set(raw_model if raw_model is not None else default_model_raw())
    deal = load_process_deal(case.get("deal"), "deal", model_set)
    model = deal["model"]
    done = get_field(case, "done", "", "list", [])
    for j, d in enumerate(done):
        if not isinstance(d, str):
            fail("invalid_input", f"done[{j}]: expected a string")
    context = f"deal {deal['id']!r}"
    if deal["stage"] is not None:
        index, stage = find_stage(model, deal["stage"], context)
    elif model.stage_list:
        index, stage = 0, model.stage_list[0]
    else:
        fail("unknown_stage", f"{context}: the model has no process stages")
    exit_ids = [c["id"] for c in stage["exit"]]
    for d in done:
        if d not in exit_ids:
            fail("unknown_criterion", f"stage {stage['id']!r} has no exit criterion {d!r}")
    remaining = [dict(c) for c in stage["exit"] if c["id"] not in done]
    roles = [{"id": r, "members": members_with(deal, lambda m, r=r: m["role"] == r)}
             for r in stage["roles"]]
    skills = [{"id": sk, "members": members_with(deal, lambda m, sk=sk: sk in m["skills"])}
              for sk in stage["skills"]]
    following = model.stage_list[index + 1]["id"] if index + 1 < len(model.stage_list) else None
    return {"deal": deal["id"], "stage": stage["id"], "label": stage["label"],
            "phase": stage["phase"], "remaining": remaining, "actions": list(stage["actions"]),
            "roles": roles, "skills": skills,
            "missing_roles": [c["id"] for c in roles if not c["members"]],
            "missing_skills": [c["id"] for c in skills if not c["members"]],
            "next_stage": following, "can_advance": not remaining}


# =============================================================================== Q&A tokenizer (§8)

# MODEL.md §8 CJK characters: U+3005–U+3007, U+3040–U+309F, U+30A0–U+30FF except U+30FB (・),
# U+3400–U+4DBF, U+4E00–U+9FFF, U+F900–U+FAFF, U+20000–U+2FFFF.
CJK_RANGES = ((0x3005, 0x3007), (0x3040, 0x309F), (0x30A0, 0x30FA), (0x30FC, 0x30FF),
              (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))


def is_cjk(ch):
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in CJK_RANGES)


def is_alphanumeric(ch):
    """Unicode Alphabetic or Numeric (Rust's char::is_alphabetic / is_numeric).

    APPROXIMATION: the standard library has no Alphabetic property. Alphabetic is
    L* + Nl + Other_Alphabetic; this uses the general categories L* (letters), Nl, Nd and No,
    which is exact for Numeric (Nd/Nl/No) and for every letter, but misses Other_Alphabetic:
    some combining marks (Mn/Mc, e.g. Devanagari and Thai vowel signs) and a few symbols (So,
    e.g. circled letters, which NFKC maps to plain letters anyway). Those separate here but join
    words in the Rust core, so the vectors use no such character. (str.isalpha() would be the
    same as L*; str.isnumeric() is wider than Nd/Nl/No, so it is not used.)"""
    cat = unicodedata.category(ch)
    return cat[0] == "L" or cat in ("Nl", "Nd", "No")


def tokenize(text):
    """MODEL.md §8: NFKC, lower-case, CJK runs -> overlapping bigrams (a lone character is its
    own token), runs of other alphanumerics -> one word, everything else separates."""
    text = unicodedata.normalize("NFKC", text).lower()
    tokens = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if is_cjk(ch):
            j = i
            while j < n and is_cjk(text[j]):
                j += 1
            run = text[i:j]
            if len(run) == 1:
                tokens.append(run)
            else:
                tokens.extend(run[x:x + 2] for x in range(len(run) - 1))
            i = j
        elif is_alphanumeric(ch):
            j = i
            while j < n and not is_cjk(text[j]) and is_alphanumeric(text[j]):
                j += 1
            tokens.append(text[i:j])
            i = j
        else:
            i += 1
    return tokens


def op_tokenize(case):
    return tokenize(get_field(case, "text", "", "str"))


# =============================================================================== Q&A matching (§8)

# Limits of the core (core/src/qa/mod.rs), each limit_exceeded.
QA_MAX_ENTRIES = 1_000_000
QA_MAX_FIELD_BYTES = 64 * 1024
QA_MAX_QUERY_BYTES = 4 * 1024
QA_MAX_K = 1000

# Unicode White_Space (what Rust's str::trim removes); an entry question made only of these is
# missing. Python's str.isspace() also counts U+001C–U+001F, so it is not used.
WHITE_SPACE = set("\u0009\u000a\u000b\u000c\u000d\u0020\u0085\u00a0\u1680"
                  "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                  "\u2028\u2029\u202f\u205f\u3000")


def distinct(tokens):
    """Distinct tokens in order of first appearance."""
    return list(dict.fromkeys(tokens))


def load_entries(raw_entries):
    """Validate Q&A entries in input order: empty_id, then missing_question (empty or only white
    space), then duplicate_entry, per entry. Unknown fields are invalid_input."""
    entries = check_list(raw_entries, "entries")
    if len(entries) > QA_MAX_ENTRIES:
        fail("limit_exceeded", f"more than {QA_MAX_ENTRIES} entries")
    out, seen = [], set()
    for i, e in enumerate(entries):
        ep = f"entries[{i}]"
        check_object(e, ep, {"id", "question", "answer", "stages", "tags"})
        entry = {key: get_field(e, key, ep, "str") for key in ("id", "question", "answer")}
        for key in ("stages", "tags"):
            entry[key] = get_field(e, key, ep, "list", [])
            for j, v in enumerate(entry[key]):
                if not isinstance(v, str):
                    fail("invalid_input", f"{ep}.{key}[{j}]: expected a string")
        for key in ("id", "question", "answer"):
            if len(entry[key].encode("utf-8")) > QA_MAX_FIELD_BYTES:
                fail("limit_exceeded", f"{ep}.{key}: longer than {QA_MAX_FIELD_BYTES} bytes")
        for key in ("stages", "tags"):
            if sum(len(v.encode("utf-8")) for v in entry[key]) > QA_MAX_FIELD_BYTES:
                fail("limit_exceeded", f"{ep}.{key}: longer than {QA_MAX_FIELD_BYTES} bytes")
        if entry["id"] == "":
            fail("empty_id", f"{ep}.id")
        if all(ch in WHITE_SPACE for ch in entry["question"]):
            fail("missing_question", f"{ep}.question")
        if entry["id"] in seen:
            fail("duplicate_entry", f"{ep}.id: {entry['id']!r} appears more than once")
        seen.add(entry["id"])
        out.append(entry)
    return out


def bm25_field(query, field_tokens, qa):
    """Per entry, the BM25 sum of one field, evaluated in the documented order:
    avgdl = (Σ dl) / N; idf = ln(1 + (N − df + 0.5) / (df + 0.5));
    norm = k1 · (1 − b + b · dl / avgdl); each term adds (idf · tf) / (tf + norm);
    the sum starts at 0.0 and adds the distinct query tokens in query order, skipping tokens
    the entry's field lacks. A field with avgdl = 0 gives 0.0 for every entry."""
    n = len(field_tokens)
    total_dl = sum(len(toks) for toks in field_tokens)
    if n == 0 or total_dl == 0:
        return [0.0] * n
    avgdl = float(total_dl) / float(n)
    k1, b = qa["k1"], qa["b"]
    df = {t: sum(1 for toks in field_tokens if t in toks) for t in query}
    idf = {t: math.log(1.0 + (float(n) - float(df[t]) + 0.5) / (float(df[t]) + 0.5))
           for t in query if df[t] > 0}
    sums = []
    for toks in field_tokens:
        dl = float(len(toks))
        norm = k1 * (1.0 - b + b * dl / avgdl)
        total = 0.0
        for t in query:
            tf = toks.count(t)
            if tf > 0:
                total += (idf[t] * float(tf)) / (float(tf) + norm)
        sums.append(total)
    return sums


def qa_search(entries, qa, question, stage, k):
    """The hits for `question` asked at `stage` (None: no boost), at most k."""
    if len(question.encode("utf-8")) > QA_MAX_QUERY_BYTES:
        fail("limit_exceeded", f"question longer than {QA_MAX_QUERY_BYTES} bytes")
    if k > QA_MAX_K:
        fail("limit_exceeded", f"k above {QA_MAX_K}")
    query = distinct(tokenize(question))
    if not query:
        fail("empty_question", "the question has no token")
    f1 = [tokenize(e["question"]) + [t for tag in e["tags"] for t in tokenize(tag)]
          for e in entries]
    f2 = [tokenize(e["answer"]) for e in entries]
    s1 = bm25_field(query, f1, qa)
    s2 = bm25_field(query, f2, qa)
    scored = []
    for i, e in enumerate(entries):
        score = s1[i] + qa["answer_weight"] * s2[i]
        if stage is not None and stage in e["stages"]:
            score = score * qa["stage_boost"]
        if score > 0 and score >= qa["min_score"]:
            matched = [t for t in query if t in f1[i] or t in f2[i]]
            scored.append((score, e, matched))
    scored.sort(key=lambda x: (-x[0], utf8_key(x[1]["id"])))
    return [{"id": e["id"], "score": score, "question": e["question"], "answer": e["answer"],
             "stages": list(e["stages"]), "matched": matched}
            for score, e, matched in scored[:k]]


def op_qa(case):
    raw_model = case.get("model")
    model_set = load_model_set(raw_model if raw_model is not None else default_model_raw())
    default_name, models = model_set
    # The index is built first (entry errors come before request errors) with the set's
    # default model's qa parameters.
    entries = load_entries(case.get("entries", []))
    qa = models[default_name].qa
    question = get_field(case, "question", "", "str")
    asked = get_field(case, "stage", "", "str", None)
    raw_deal = case.get("deal")
    deal = load_process_deal(raw_deal, "deal", model_set) if raw_deal is not None else None
    k = get_field(case, "k", "", "int", 5)
    if k < 0:
        fail("invalid_input", "k: must be >= 0")
    stage = asked if asked is not None else (deal["stage"] if deal is not None else None)
    model = deal["model"] if deal is not None else models[default_name]
    stage_def = None
    if stage is not None:
        context = f"deal {deal['id']!r}" if deal is not None else "the question"
        stage_def = find_stage(model, stage, context)[1]
    hits = qa_search(entries, qa, question, stage, k)
    unanswered = not hits
    ask = experts(deal, stage_def["skills"]) if unanswered and deal and stage_def else []
    return {"question": question, "stage": stage, "hits": hits, "unanswered": unanswered,
            "ask": ask}

# =============================================================================== scorecard (OUTCOMES §5)
#
# An optimiser's choice cannot be re-derived here; what can be checked is that the stored card is
# a valid answer to the request and that its figures are its own: points integer, within
# [lb, ub], non-zero, at most k, named after columns in column order; the multiplier positive;
# rows, AUC (exact, OUTCOMES §3) and log loss recomputed from the stored card; the warnings
# recomputed; and the card no worse on the training rows than the best intercept-only model.

SCORECARD_FEW = 40
LOGLOSS_REL = 1e-12


def scorecard_table(raw, where):
    if not isinstance(raw, dict) or set(raw) - {"columns", "rows"} or "columns" not in raw or "rows" not in raw:
        fail("invalid_input", f"{where}: an object with columns and rows")
    columns, rows = raw["columns"], raw["rows"]
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        fail("invalid_input", f"{where}.columns: names")
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        fail("invalid_input", f"{where}.rows: arrays")
    for i, row in enumerate(rows):
        if len(row) != len(columns):
            fail("invalid_input", f"{where}.rows[{i}]: {len(row)} values for {len(columns)} columns")
        for j, v in enumerate(row):
            if v is None or isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                fail("invalid_input", f"{where}.rows[{i}][{j}]: not a finite number")
    if not columns:
        fail("invalid_input", f"{where}.columns: no columns")
    if len(set(columns)) != len(columns):
        fail("invalid_input", f"{where}.columns: a name appears twice")
    if not rows:
        fail("invalid_input", f"{where}.rows: no rows")
    return columns, [[float(v) for v in r] for r in rows]


def scorecard_labels(raw, n, where):
    if not isinstance(raw, list):
        fail("invalid_input", f"{where}: an array")
    if len(raw) != n:
        fail("invalid_input", f"{where}: {len(raw)} labels for {n} rows")
    bools = [v for v in raw if isinstance(v, bool)]
    numbers = [v for v in raw if not isinstance(v, bool)]
    if any(not isinstance(v, (int, float)) or v not in (0, 1, -1) for v in numbers):
        fail("invalid_input", f"{where}: a label outside 0/1, -1/1, true/false")
    if bools and numbers:
        fail("invalid_input", f"{where}: booleans mixed with numbers")
    if 0 in numbers and -1 in numbers:
        fail("invalid_input", f"{where}: 0 mixed with -1")
    return [v is True or (not isinstance(v, bool) and v == 1) for v in raw]


def scorecard_auc(scores, positive):
    w = sum(positive)
    lost = len(scores) - w
    if w == 0 or lost == 0:
        return None
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    twice_r, i = 0, 0
    while i < len(order):
        j = i + 1
        while j < len(order) and scores[order[j]] == scores[order[i]]:
            j += 1
        twice_r += sum(1 for k in order[i:j] if positive[k]) * (i + 1 + j)
        i = j
    return (twice_r - w * (w + 1)) / (2 * w * lost)


def scorecard_figures(card, columns, rows, positive):
    index = {c: j for j, c in enumerate(columns)}
    totals = [0.0] * len(rows)
    for name, v in card["points"].items():
        totals = [t + float(v) * r[index[name]] for t, r in zip(totals, rows)]
    loss = 0.0
    for t, y in zip(totals, positive):
        z = (float(card["intercept"]) + t) / card["multiplier"]
        p = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
        p = min(max(p, 1e-15), 1.0 - 1e-15)
        loss -= math.log(p if y else 1.0 - p)
    return {"rows": len(rows), "auc": scorecard_auc(totals, positive), "logloss": loss / len(rows)}


def op_scorecard(case):
    allowed = {"name", "description", "op", "expected", "error_code", "table", "labels", "options", "test"}
    if set(case) - allowed:
        fail("invalid_input", f"unknown field {sorted(set(case) - allowed)[0]}")
    options = case.get("options", {})
    if not isinstance(options, dict) or set(options) - {"k", "lb", "ub"}:
        fail("invalid_input", "options: k, lb and ub only")
    k, lb, ub = options.get("k", 5), options.get("lb", -5), options.get("ub", 5)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (k, lb, ub)) or k < 0:
        fail("invalid_input", "options: integers (k >= 0)")
    if "table" not in case or "labels" not in case:
        fail("invalid_input", "table and labels are required")
    columns, rows = scorecard_table(case["table"], "table")
    test = case.get("test")
    if test is not None and (not isinstance(test, dict) or set(test) != {"table", "labels"}):
        fail("invalid_input", "test: an object with table and labels")
    if k == 0:
        fail("invalid_input", "options.k: at least 1")
    if lb > ub:
        fail("invalid_input", "options.lb: above ub")
    if lb > 0 or ub < 0:
        fail("invalid_input", "options: the box must hold 0")
    positive = scorecard_labels(case["labels"], len(rows), "labels")
    w = sum(positive)
    if w == 0 or w == len(rows):
        fail("invalid_input", "labels: one class only")
    if test is not None:
        t_columns, t_rows = scorecard_table(test["table"], "test.table")
        if t_columns != columns:
            fail("invalid_input", "test.table.columns: not the training columns")
        t_positive = scorecard_labels(test["labels"], len(t_rows), "test.labels")
    card = case.get("expected")
    if card is None:
        fail("no_expected", "scorecard outputs are written by the core: see vectors/README.md")
    if list(card) != ["intercept", "multiplier", "points", "train", "test", "warnings"]:
        fail("oracle_mismatch", "scorecard keys")
    b, m, points = card["intercept"], card["multiplier"], card["points"]
    if not isinstance(b, int) or isinstance(b, bool) or not isinstance(m, float) or not m > 0:
        fail("oracle_mismatch", "intercept must be an integer, multiplier a positive float")
    names = list(points)
    if len(names) > k or [c for c in columns if c in points] != names:
        fail("oracle_mismatch", "points: at most k columns, in column order")
    if not all(isinstance(v, int) and not isinstance(v, bool) and v != 0 and lb <= v <= ub for v in points.values()):
        fail("oracle_mismatch", "points: non-zero integers within [lb, ub]")
    warnings = [f"only {c} {cls} training rows (fewer than {SCORECARD_FEW}): the points and figures are unstable"
                for c, cls in ((w, "positive (1)"), (len(rows) - w, "negative (0)")) if c < SCORECARD_FEW]
    train = scorecard_figures(card, columns, rows, positive)
    # No worse than the best model without points (predicting the base rate everywhere).
    rate = w / len(rows)
    base = -(rate * math.log(rate) + (1 - rate) * math.log(1 - rate))
    if train["logloss"] > base * (1 + 1e-9):
        fail("oracle_mismatch", f"train log loss {train['logloss']} above the base rate's {base}")
    out = {"intercept": b, "multiplier": m, "points": dict(points), "train": train,
           "test": scorecard_figures(card, columns, t_rows, t_positive) if test is not None else None,
           "warnings": warnings}
    return out


# =============================================================================== backtest (OUTCOMES.md)

SIGNAL_KINDS = ["no_energy", "declining", "top_role_absent", "single_threaded", "route_gap"]
STATUS_ORDER = ["close", "qualify", "engage", "review"]


def auc_by_pairs(scores, won):
    """P(a won deal outscores a lost one), ties one half, by counting every pair exactly."""
    w = [s for s, y in zip(scores, won) if y]
    lost = [s for s, y in zip(scores, won) if not y]
    if not w or not lost:
        return None
    twice = sum(2 if a > b else 1 if a == b else 0 for a in w for b in lost)
    return float(Fraction(twice, 2 * len(w) * len(lost)))


def lift_groups(deal_ids, scores, won, bins):
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], deal_ids[i].encode("utf-8")))
    n, total_won, groups, start, so_far = len(order), sum(won), [], 0, 0
    for g in range(bins):
        size = n // bins + (1 if g < n % bins else 0)
        if size == 0:
            continue
        members = order[start:start + size]
        start += size
        k = sum(1 for i in members if won[i])
        so_far += k
        groups.append({"deals": size, "won": k, "win_rate": k / size,
                       "min": scores[members[-1]], "max": scores[members[0]],
                       "won_share": so_far / total_won if total_won else None})
    return groups


def op_backtest(case):
    case = dict(case)
    case.setdefault("as_of", "2000-01-01")       # unused: every deal has its own snapshot
    inp = Input(case)
    options = check_object(case.get("options", {}), "options", {"horizon_days", "as_of", "bins"})
    bins = get_field(options, "bins", "options", "int", 10)
    if not 1 <= bins <= 100:
        fail("invalid_input", "options.bins: 1 to 100")
    horizon = get_field(options, "horizon_days", "options", "int", None)
    cohort_raw = get_field(options, "as_of", "options", "str", None)
    if horizon is not None and not 0 <= horizon <= 3660:
        fail("invalid_input", "options.horizon_days: 0 to 3660")
    if horizon is not None and cohort_raw is not None:
        fail("invalid_input", "options: horizon_days or as_of, not both")
    cohort = parse_date(cohort_raw, "options.as_of") if cohort_raw is not None else None
    if cohort is None and horizon is None:
        horizon = 14

    population = []                             # (deal id, snapshot, won, report, model)
    for deal_id in sorted(inp.deals, key=lambda d: d.encode("utf-8")):
        deal = inp.deals[deal_id]
        if deal["outcome"] is None:
            continue
        if cohort is not None:
            if deal["closed_on"] <= cohort:
                continue
            snapshot = cohort
        else:
            snapshot = deal["closed_on"] - datetime.timedelta(days=horizon)
        inp.as_of = snapshot
        report = analyse_deal(inp, deal_id)["report"]
        population.append((deal_id, snapshot, deal["outcome"] == "won", report, deal["model"]))

    n = len(population)
    won = [p[2] for p in population]
    w = sum(won)
    overall = w / n if n else None
    default_name, models = inp.model_set
    names = [default_name] + sorted(k for k in models if k != default_name)
    used = [models[k] for k in names if any(p[4] is models[k] for p in population)]
    if not used:
        used = [models[default_name]]
    has_quality = any(m.indicators for m in used)

    def status_of(report, model):
        high_e = report["energy"]["total"] >= model.energy_threshold
        q = report["quality"]
        high_q = q is not None and q["score"] >= model.quality_threshold
        return ("close" if high_q else "qualify") if high_e else ("engage" if high_q else "review")

    ids = [p[0] for p in population]
    extract = {
        "energy": lambda r: r["energy"]["total"],
        "decayed": lambda r: r["energy"]["decayed"],
        "breadth": lambda r: r["breadth"]["score"],
        "continuity": lambda r: r["continuity"]["ratio"],
        "quality": lambda r: r["quality"]["score"] if r["quality"] is not None else 0.0,
    }
    scores = {}
    for name, get in extract.items():
        if name == "quality" and not has_quality:
            continue
        values = [get(p[3]) for p in population]
        scores[name] = {"auc": auc_by_pairs(values, won), "lift": lift_groups(ids, values, won, bins)}

    statuses = [status_of(p[3], p[4]) for p in population]
    by_status = []
    for st in STATUS_ORDER:
        k = [y for y, s in zip(won, statuses) if s == st]
        by_status.append({"status": st, "deals": len(k), "won": sum(k),
                          "win_rate": sum(k) / len(k) if k else None})

    items = []
    for kind, ids_of in (("action", lambda m: list(m.actions)), ("role", lambda m: list(m.roles)),
                         ("indicator", lambda m: [i for i, _ in m.indicators])):
        for m in used:
            for item in ids_of(m):
                if (kind, item) not in items:
                    items.append((kind, item))
    items += [("signal", s) for s in SIGNAL_KINDS]

    def has(report, kind, item):
        if kind == "action":
            return item in report["energy"]["by_action"]
        if kind == "role":
            return item in report["breadth"]["roles"]
        if kind == "indicator":
            return report["quality"] is not None and item in report["quality"]["checked"]
        return any(sig["kind"] == item for sig in report["signals"])

    insights = []
    for kind, item in items:
        k = [p[2] for p in population if has(p[3], kind, item)]
        rate = sum(k) / len(k) if k else None
        lift = rate / overall if rate is not None and overall else None
        insights.append({"kind": kind, "id": item, "deals": len(k), "won": sum(k),
                         "win_rate": rate, "lift": lift})

    rows = []
    for (deal_id, snapshot, y, report, model), st in zip(population, statuses):
        rows.append({"deal": deal_id, "snapshot": snapshot.isoformat(),
                     "outcome": "won" if y else "lost", "energy": report["energy"]["total"],
                     "decayed": report["energy"]["decayed"], "breadth": report["breadth"]["score"],
                     "continuity": report["continuity"]["ratio"],
                     "quality": report["quality"]["score"] if report["quality"] else None,
                     "status": st})

    warnings = []
    if n == 0:
        warnings.append(f"no deal closed after {cohort.isoformat()}: the population is empty"
                        if cohort is not None else
                        "no closed deal (one with an outcome and closed_on): the population is empty")
    else:
        for count, what in ((w, "won"), (n - w, "lost")):
            if count < 40:
                warnings.append(f"{count} {what} deal{'' if count == 1 else 's'} (under 40): "
                                "the figures are unstable")

    return {"mode": "cohort" if cohort is not None else "horizon",
            "horizon_days": horizon if cohort is None else None,
            "as_of": cohort.isoformat() if cohort is not None else None,
            "deals": n, "won": w, "lost": n - w, "win_rate": overall, "warnings": warnings,
            "scores": scores, "by_status": by_status, "insights": insights, "rows": rows}


# =============================================================================== fit (OUTCOMES.md §4)
#
# The oracle cannot re-derive an optimiser's choice of points, c and m; it takes them from the
# stored expected output and recomputes everything else from them and the input on its own:
# population, snapshots, features, split, the fitted model, AUCs, log losses, calibration.


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def mean_log_loss(ps, ys):
    if not ps:
        return 0.0
    total = 0.0
    for p, y in zip(ps, ys):
        p = min(max(p, 1e-15), 1.0 - 1e-15)
        total += -math.log(p if y else 1.0 - p)
    return total / len(ps)


def one_feature_fit(energies, ys):
    """Best P = sigmoid(a + b·E) by Newton's method to convergence."""
    n = len(energies)
    s = max(1.0, sum(energies) / n)
    xs = [e / s for e in energies]
    w = sum(ys)
    a, b = math.log(w / (n - w)), 0.0

    def loss(a, b):
        return mean_log_loss([sigmoid(a + b * x) for x in xs], ys)

    current = loss(a, b)
    for _ in range(200):
        ga = gb = haa = hab = hbb = 0.0
        for x, y in zip(xs, ys):
            p = sigmoid(a + b * x)
            r, v = p - (1.0 if y else 0.0), p * (1.0 - p)
            ga, gb, haa, hab, hbb = ga + r, gb + r * x, haa + v, hab + v * x, hbb + v * x * x
        det = haa * hbb - hab * hab
        if abs(det) < 1e-12:
            break
        da, db = (hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det
        step = 1.0
        for _ in range(30):
            na, nb = a - step * da, b - step * db
            nl = loss(na, nb)
            if nl <= current:
                break
            step /= 2
        else:
            break
        a, b, current = na, nb, nl
    return lambda e: sigmoid(a + b * e / s)


def op_fit(case):
    case = dict(case)
    case.setdefault("as_of", "2000-01-01")
    inp = Input(case)
    allowed = {"horizon_days", "as_of", "train_before", "max_points", "max_nonzero", "model"}
    options = check_object(case.get("options", {}), "options", allowed)
    horizon = get_field(options, "horizon_days", "options", "int", None)
    cohort_raw = get_field(options, "as_of", "options", "str", None)
    if horizon is not None and not 0 <= horizon <= 3660:
        fail("invalid_input", "options.horizon_days: 0 to 3660")
    if horizon is not None and cohort_raw is not None:
        fail("invalid_input", "options: horizon_days or as_of, not both")
    cohort = parse_date(cohort_raw, "options.as_of") if cohort_raw is not None else None
    if cohort is None and horizon is None:
        horizon = 14
    before_raw = get_field(options, "train_before", "options", "str", None)
    train_before = parse_date(before_raw, "options.train_before") if before_raw is not None else None
    max_points = get_field(options, "max_points", "options", "int", 30)
    if max_points < 1:
        fail("invalid_input", "options.max_points: at least 1")
    max_nonzero = get_field(options, "max_nonzero", "options", "int", None)
    if max_nonzero is not None and max_nonzero < 1:
        fail("invalid_input", "options.max_nonzero: at least 1")
    default_name, models = inp.model_set
    name = get_field(options, "model", "options", "str", default_name)
    if name not in models:
        fail("invalid_input", f"options.model: no model {name!r}")
    model = models[name]

    action_ids, role_ids = list(model.actions), list(model.roles)
    band_mins = [b for b, _ in model.bands]
    samples = []
    for deal_id in sorted(inp.deals, key=lambda d: d.encode("utf-8")):
        deal = inp.deals[deal_id]
        if deal["outcome"] is None or deal["model"] is not model:
            continue
        if cohort is not None:
            if deal["closed_on"] <= cohort:
                continue
            snapshot = cohort
        else:
            snapshot = deal["closed_on"] - datetime.timedelta(days=horizon)
        inp.as_of = snapshot
        base = analyse_deal(inp, deal_id)["report"]["energy"]["total"]
        features = [0] * (len(action_ids) + len(role_ids) + len(band_mins))
        for a in inp.activities:
            if a["deal"] != deal_id or a["date"] > snapshot:
                continue
            for action in a["actions"]:
                features[action_ids.index(action)] += 1
            top = top_role(model, a["contacts"])
            if top is not None:
                features[len(action_ids) + role_ids.index(top)] += 1
            band = band_for(model, a["attendees"])
            if band is not None:
                features[len(action_ids) + len(role_ids) + band_mins.index(band[0])] += 1
        samples.append({"id": deal_id, "closed_on": deal["closed_on"], "won": deal["outcome"] == "won",
                        "base": base, "features": features})
    samples.sort(key=lambda t: (t["closed_on"], t["id"].encode("utf-8")))
    if train_before is not None:
        n_train = sum(1 for t in samples if t["closed_on"] < train_before)
    else:
        n_train = len(samples) - math.ceil(len(samples) / 5)
    train, test = samples[:n_train], samples[n_train:]
    won = sum(t["won"] for t in train)
    if won == 0 or won == len(train):
        fail("invalid_input", "deals: the training deals need both won and lost deals")

    expected = case.get("expected")
    if not isinstance(expected, dict):
        fail("needs_core", "a fit case takes points, c and m from the core's stored output")
    fitted = {(p["kind"], p["id"]): p["fitted"] for p in expected["points"]}
    c, m = expected["c"], expected["m"]
    beta = ([fitted[("action", a)] for a in action_ids] + [fitted[("role", r)] for r in role_ids]
            + [fitted[("band", str(b))] for b in band_mins])
    for b in beta:
        if not 0 <= b <= max_points:
            fail("out_of_bounds", f"fitted points {b} outside [0, {max_points}]")
    if max_nonzero is not None and sum(1 for b in beta[:len(action_ids)] if b) > max_nonzero:
        fail("out_of_bounds", "more actions with points than max_nonzero")

    def energy(t):
        return sum(x * b for x, b in zip(t["features"], beta))

    base_predict = one_feature_fit([float(t["base"]) for t in train], [t["won"] for t in train])

    def evidence(rows):
        ys = [t["won"] for t in rows]
        w = sum(ys)
        return {"deals": len(rows), "won": w, "lost": len(rows) - w,
                "auc_base": auc_by_pairs([t["base"] for t in rows], ys),
                "auc_fitted": auc_by_pairs([energy(t) for t in rows], ys),
                "logloss_base": mean_log_loss([base_predict(float(t["base"])) for t in rows], ys),
                "logloss_fitted": mean_log_loss([sigmoid((energy(t) - c) / m) for t in rows], ys)}

    calibrated = test if test else train
    probs = [sigmoid((energy(t) - c) / m) for t in calibrated]
    order = sorted(range(len(calibrated)), key=lambda i: (-probs[i], calibrated[i]["id"].encode("utf-8")))
    calibration, start = [], 0
    for g in range(10):
        size = len(order) // 10 + (1 if g < len(order) % 10 else 0)
        if size == 0:
            continue
        members = order[start:start + size]
        start += size
        calibration.append({"deals": size, "predicted": sum(probs[i] for i in members) / size,
                            "observed": sum(1 for i in members if calibrated[i]["won"]) / size})

    # The fitted model: the base with these points, no caps or per-role overrides, and the
    # threshold at c; checked by loading it and comparing with the base model so changed.
    got = load_model(expected["model"])
    want = load_model(case.get("model", default_model_raw()) if "models" not in case.get("model", {})
                      else case["model"]["models"][name])
    for k, a in enumerate(action_ids):
        want.actions[a] = {**want.actions[a], "points": beta[k], "cap": None, "by_role": {}}
    for k, r in enumerate(role_ids):
        want.roles[r] = {**want.roles[r], "points": beta[len(action_ids) + k]}
    want.bands = [(bmin, beta[len(action_ids) + len(role_ids) + k]) for k, (bmin, _) in enumerate(want.bands)]
    want.energy_threshold = max(0, math.ceil(c))
    if vars(got) != vars(want):
        fail("model_mismatch", "the stored fitted model is not the base model with the fitted points")

    points = ([{"kind": "action", "id": a, "base": model.actions[a]["points"], "fitted": beta[k]}
               for k, a in enumerate(action_ids)]
              + [{"kind": "role", "id": r, "base": model.roles[r]["points"], "fitted": beta[len(action_ids) + k]}
                 for k, r in enumerate(role_ids)]
              + [{"kind": "band", "id": str(b), "base": pts, "fitted": beta[len(action_ids) + len(role_ids) + k]}
                 for k, (b, pts) in enumerate(model.bands)])
    lost = len(train) - won
    warnings = [f"{count} {what} training deal{'' if count == 1 else 's'} (under 40): "
                "the table may not hold on new deals"
                for count, what in ((won, "won"), (lost, "lost")) if count < 40]
    return {"model": expected["model"], "c": c, "m": m, "points": points, "train": evidence(train),
            "test": evidence(test) if test else None, "calibration": calibration, "warnings": warnings}


OPS = {"score": op_score, "explain": op_explain, "quality": op_quality, "stale": op_stale,
       "recipients": op_recipients, "next_steps": op_next_steps, "tokenize": op_tokenize,
       "qa": op_qa, "backtest": op_backtest, "fit": op_fit, "scorecard": op_scorecard,
       "on_report": op_on_report}


def run_case(case):
    """Run one vector case. Returns ("ok", output) or ("error", code)."""
    try:
        return "ok", OPS[case["op"]](case)
    except DealscoreError as e:
        return "error", e.code


# =============================================================================== CLI


def canonical(value):
    """Exact comparison: key order, int vs float and every float bit matter."""
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


# `decayed` needs pow(0.5, x) and Q&A hit scores need ln. The Rust core uses the `libm` crate (the
# same bits on every platform); Python's math.pow and math.log are the C library's, which may
# differ in the last bit or two. The stored values are the core's, so the oracle accepts `decayed`
# and the `score` of a Q&A hit (an object inside a `hits` list) within a few ulps, and nothing else.
DECAYED_ULPS = 4
QA_SCORE_ULPS = 4


def close_floats(expected, computed, ulps):
    return abs(expected - computed) <= ulps * math.ulp(max(abs(expected), abs(computed)))


def agree(expected, computed, key=None, in_hits=False, decayed=False):
    """Exact agreement, except `decayed` floats (and every float under a `decayed` key: a
    backtest's decayed lift bounds) and Q&A hit `score`s within a few ulps."""
    decayed = decayed or key == "decayed"
    if isinstance(expected, dict) and isinstance(computed, dict):
        return list(expected) == list(computed) and all(
            agree(expected[k], computed[k], k, in_hits, decayed) for k in expected)
    if isinstance(expected, list) and isinstance(computed, list):
        return len(expected) == len(computed) and all(
            agree(e, c, key, key == "hits", decayed) for e, c in zip(expected, computed))
    if type(expected) is float and type(computed) is float:
        # A fit's probabilities need exp, its base curve a Newton fit of the oracle's own.
        if key in ("logloss_fitted", "predicted"):
            return close_floats(expected, computed, 64)
        if key == "logloss_base":
            return abs(expected - computed) <= 1e-7 * max(1.0, abs(expected))
        if decayed:
            return close_floats(expected, computed, DECAYED_ULPS)
        if key == "score" and in_hits:
            return close_floats(expected, computed, QA_SCORE_ULPS)
        if key == "logloss":
            return abs(expected - computed) <= LOGLOSS_REL * max(abs(expected), abs(computed))
    return canonical(expected) == canonical(computed)


def case_files():
    return sorted(VECTORS_DIR.glob("*.json"))


def write_case(path, case):
    # keep "expected" last
    case = {k: v for k, v in case.items() if k != "expected"} | (
        {"expected": case["expected"]} if "expected" in case else {})
    path.write_text(json.dumps(case, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv):
    if len(argv) != 2 or argv[1] not in ("--write", "--check"):
        print("usage: oracle.py --write | --check", file=sys.stderr)
        return 2
    mode = argv[1]
    passed, failures = 0, []
    for path in case_files():
        case = json.loads(path.read_text(encoding="utf-8"))
        kind, result = run_case(case)
        if "error_code" in case:
            if kind == "error" and result == case["error_code"]:
                passed += 1
            else:
                got = f"error {result}" if kind == "error" else "a result"
                failures.append(f"{path.name}: expected error {case['error_code']}, got {got}")
            continue
        if kind == "error":
            failures.append(f"{path.name}: unexpected error {result}")
            continue
        if mode == "--write":
            # Keep stored values the oracle agrees with (they may carry the core's pow bits).
            if "expected" not in case or not agree(case["expected"], result):
                case["expected"] = result
            write_case(path, case)
            passed += 1
        elif "expected" not in case:
            failures.append(f"{path.name}: no expected output (run --write)")
        elif agree(case["expected"], result):
            passed += 1
        else:
            failures.append(f"{path.name}: mismatch\n  expected: {canonical(case['expected'])}\n"
                            f"  computed: {canonical(result)}")
    for f in failures:
        print(f"FAIL {f}")
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
