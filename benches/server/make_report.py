#!/usr/bin/env python3
"""Writes report-200.json, the body of the /v1/reports load test: one deal's record (a team of five
with all three notify settings, quality events), its 200-activity history over a year, and the
new report. Titles, departments and notes in Japanese, as in score-50.json. Also score-200.json,
the same deal and history as a /v1/score request (the baseline of the same size). Deterministic:

    python3 benches/server/make_report.py   # rewrites both files
"""

import datetime
import json
from pathlib import Path

ACTIONS = [["meeting_accepted"], ["called_us"], ["asked_question", "emailed_us"],
           ["meeting_accepted", "asked_question"], ["visited_us"], ["requested_demo"],
           ["emailed_us"], ["requested_quote", "asked_question"]]
TITLES = ["担当", "課長", "部長", "CEO", "Manager", "主任"]
DEPARTMENTS = ["営業部", "情報システム部", "経営企画部", "経理部"]
REPORTERS = ["sato", "tanaka", "suzuki"]
NOTES = ["定例訪問。課題と予算感をヒアリング。", "デモの感想を電話で受領。", "見積の前提条件を確認。"]


def main():
    start = datetime.date(2025, 11, 28)
    history = []
    for i in range(200):
        contacts = [{"person": f"person-{i % 7}", "title": TITLES[i % len(TITLES)],
                     "department": DEPARTMENTS[i % len(DEPARTMENTS)]}]
        if i % 3 == 0:
            contacts.append({"person": f"person-{(i + 3) % 7}", "title": TITLES[(i + 2) % len(TITLES)]})
        history.append({"id": f"A-{i:04d}", "deal": "D-100",
                        "date": (start + datetime.timedelta(days=i * 363 // 200)).isoformat(),
                        "actions": ACTIONS[i % len(ACTIONS)], "contacts": contacts,
                        "reporter": REPORTERS[i % len(REPORTERS)], "note": NOTES[i % len(NOTES)]})
    deal = {"id": "D-100", "customer": "株式会社ミナト物流", "stage": "proposal", "maintainer": "sato",
            "members": [{"user": "sato", "role": "sales", "notify": "all"},
                        {"user": "tanaka", "role": "presales", "notify": "all"},
                        {"user": "suzuki", "role": "sales_manager", "notify": "digest"},
                        {"user": "kim", "notify": "digest"}, {"user": "ito", "notify": "none"}],
            "quality_events": [{"indicator": "empathy", "checked": True, "by": "sato", "date": "2026-06-01"},
                               {"indicator": "budget_secured", "checked": True, "by": "sato", "date": "2026-10-01"}]}
    report = {"id": "A-0200", "deal": "D-100", "date": "2026-11-26", "actions": ["approval_circular"],
              "contacts": [{"person": "person-9", "title": "取締役", "department": "経理部"}],
              "reporter": "tanaka", "note": "稟議申請の予定を確認。"}
    score = {"as_of": "2026-11-27", "deals": [deal], "activities": history}
    for name, body in [("report-200.json", {**score, "report": report}), ("score-200.json", score)]:
        out = Path(__file__).with_name(name)
        out.write_text(json.dumps(body, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        print(f"{out}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
