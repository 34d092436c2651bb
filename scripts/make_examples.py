#!/usr/bin/env python3
"""Generate the dealscore example data set (deterministic; Python 3.11 stdlib only).

Writes examples/deals.json and examples/activities.jsonl. `--check` instead validates the
files on disk (JSON per line, unique ids, valid dates, known action/role/stage/indicator/skill
ids, examples/qa.jsonl too) and scores every deal with a small reference computation of
docs/model.md, asserting the intended status and signals below.

Report date (as_of) of the examples: 2026-11-27. Default model: core/data/default_model.toml
(energy threshold 150, quality threshold 0.6; continuity window 12 x 7 days = 2026-09-05..11-27;
older half of the series = 09-05..10-16, newer half = 10-17..11-27).

Deal     customer                 stage              status   signals                 what it shows
-------  -----------------------  -----------------  -------  ----------------------  -----------------------------------------
D-1001   株式会社ミナト物流        approval           close    (none)                  the healthy deal: all four roles, executive
                                                                                       met in Nov, budget request and ringi filed;
                                                                                       a seller-only visit to a 部長 (role pts only)
D-1002   東邦精機株式会社          quotation          qualify  top_role_absent         社長 met once in June (via introduced_boss),
                                                                                       never again; competitive edge unchecked in
                                                                                       Oct; unmapped title 顧問
D-1003   合同会社さくらデザイン    proposal           engage   single_threaded         a referral since Sep with one contact only
                                                                                       (マネージャー); good quality, energy < 150
D-1004   北斗食品工業株式会社      hearing            review   declining, route_gap    staff-only contacts since May (route 1/4),
                                                                                       busy in Sep, one e-mail in Nov; three
                                                                                       seller-only visits (empty actions, 0 pts)
D-1005   有限会社あおば工務店      first_contact      review   no_energy               never contacted: no activities at all
D-1006   株式会社しらかわ電機      problem_agreement  qualify  no_energy, declining    budget frozen on 10-02, last energy 56 days
                                                                                       ago, snoozed_until 2026-12-14 (left out of
                                                                                       the stale list); a 0-energy visit in Oct
D-1007   株式会社ことぶき銀行      approval           close    (none)                  custom route with department steps, 4/5
                                                                                       covered (リスク統括部 missing); ＣＩＯ
                                                                                       (full-width) and unmapped title 室長
D-1008   株式会社オリオン薬品      won                close    declining               English titles (CEO, CFO, Director, Manager,
                                                                                       Specialist); signed 10-09, quiet since
D-1009   医療法人社団ひかり会      onboarding         engage   top_role_absent         contacts given as role ids; director only
                                                                                       at the June kick-off; staff-level support
                                                                                       questions keep energy < 150 (total 131)
D-1010   株式会社やまと建設        proposal           qualify  declining               strong in summer, a competitor appears in
                                                                                       Oct, only e-mails and a seller-only visit since

Stale list as of 2026-11-27 (default basis "contact"): D-1005 is the only row (never contacted);
D-1006 is stale but snoozed (snoozed = 1).

Usage: python3 scripts/make_examples.py [--check]
"""

from __future__ import annotations

import json
import random
import sys
import tomllib
import unicodedata
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
MODEL_PATH = ROOT / "core" / "data" / "default_model.toml"
AS_OF = date(2026, 11, 27)
START = date(2026, 5, 1)
SEED = 20261127

# Intended outcome as of AS_OF (checked by --check).
EXPECTED = {
    "D-1001": ("close", []),
    "D-1002": ("qualify", ["top_role_absent"]),
    "D-1003": ("engage", ["single_threaded"]),
    "D-1004": ("review", ["declining", "route_gap"]),
    "D-1005": ("review", ["no_energy"]),
    "D-1006": ("qualify", ["no_energy", "declining"]),
    "D-1007": ("close", []),
    "D-1008": ("close", ["declining"]),
    "D-1009": ("engage", ["top_role_absent"]),
    "D-1010": ("qualify", ["declining"]),
}

# ----------------------------------------------------------------------------- note templates
# {p} = first contact (surname + title or 様), {p2} = second contact, {topic} = the deal's theme.
NOTES = {
    "email": [
        "{p}より{topic}の現行帳票サンプルをメールで受領。次回打合せで確認する。",
        "{p}よりメールにて、先日の提案資料を部内で回覧したとのご連絡。",
        "{p}から議事録の修正点をメールでいただいた。認識のずれはなし。",
        "{p}よりメール。社内説明用に同業の導入事例をもう一件送ってほしいとのこと。",
        "{p}から現行の利用者数と拠点数をまとめた表をメールで受領。見積の前提に使う。",
        "{p}より御礼メール。{topic}の見直しを前向きに検討しているとのこと。",
        "{p}からメールで次回打合せの議題案が届いた。先方主導で進み始めている。",
        "{p}より、他部署にも資料を共有してよいかとのメール。了承の旨返信済み。",
        "{p}から繁忙期に入る前に方向性を決めたいとのメールあり。",
        "{p}より打合せ日程の候補がメールで届き、来週火曜で確定。",
        "{p}からメールで社内検討会の結果共有。追加で確認したい点が2つあるとのこと。",
        "{p}より、デモ環境のアカウントをもう2名分追加してほしいとのメール。",
    ],
    "question": [
        "{p}よりデータ移行の進め方について問い合わせ。移行手順書を送付予定。",
        "{p}から権限設定の粒度について質問あり。部署単位・個人単位の両方に対応と回答。",
        "{p}よりスマートフォン対応の有無について質問。デモ環境で確認いただくことに。",
        "{p}から既存の{topic}データを取り込めるか問い合わせ。CSV取込で対応可能と回答。",
        "{p}より利用料金の課金単位について質問あり。ユーザ数課金である旨を説明。",
        "{p}からサポート窓口の対応時間について質問。平日9時〜18時と回答した。",
        "{p}よりAPI連携の仕様について問い合わせ。仕様書を送付した。",
        "{p}から監査ログの保存期間について質問があり、技術担当に確認中。",
        "{p}よりシングルサインオン対応について問い合わせ。SAML対応済みと回答。",
        "{p}から導入までの標準的な期間について質問。約3か月と説明した。",
        "{p}よりデータのバックアップ頻度と保管場所について質問。国内リージョンで日次と回答。",
        "{p}から帳票のレイアウト変更が可能か問い合わせ。設定で対応できる範囲を説明。",
    ],
    "call": [
        "{p}より電話。次回の打合せに上長も同席したいとのこと。",
        "{p}から電話で、資料の一部を差し替えてほしいと依頼あり。",
        "{p}より電話。社内の検討状況を共有いただいた。おおむね前向き。",
        "{p}から電話あり。打合せの時間を30分延長できないかとの相談。",
        "{p}より電話で、導入スケジュールの目安を確認したいとのこと。",
        "{p}から着信。競合製品との違いを1枚にまとめてほしいとの要望。",
        "{p}より電話。先日のデモが現場で好評だったとのこと。",
        "{p}から電話。来月の部内会議で当社案を取り上げると連絡あり。",
    ],
    "call_q": [
        "{p}より電話で質問。月次締めの処理を自動化できるか確認したいとのこと。",
        "{p}から電話。既存の会計システムとの連携実績を聞かれ、事例を2件紹介した。",
        "{p}より電話で、障害時の連絡体制について質問。SLA資料を送付する。",
        "{p}から電話で、試用期間を延長できるか相談あり。2週間の延長で調整。",
        "{p}より電話。ユーザ研修の形式について質問があり、オンライン研修を案内。",
    ],
    "meeting": [
        "{p}と打合せ。{topic}の現行フローを確認し、手作業が多い工程を洗い出した。",
        "{p}を訪問。{topic}の課題を詳しくヒアリング。月末の締め作業に負荷が集中しているとのこと。",
        "{p}と定例打合せ。前回の宿題を回答し、次回までの論点を整理した。",
        "{p}とオンライン会議。{topic}の改善効果を数値で試算する方針で合意。",
        "{p}を訪問し提案の方向性をすり合わせ。大きな異論はなし。",
        "{p}と打合せ。現場の運用ルールを確認し、標準機能で足りない点を3点メモ。",
        "{p}と面談。{topic}について他部署の要望も集めてくださることになった。",
        "{p}とWeb会議で画面イメージを確認。入力項目の削減に関心が高い。",
        "{p}を訪問。現場を見学させていただき、紙の記録が多く残っていることを確認。",
        "{p}と打合せ。導入範囲を第1期と第2期に分ける案を提示し、持ち帰り検討に。",
    ],
    "meeting_q": [
        "{p}と打合せ。導入後の運用体制について質問が多く、前向きな反応。",
        "{p}を訪問。費用対効果の算出方法について質問をいただき、試算シートを共有。",
        "{p}と打合せ。既存システムとの連携範囲について質問があり、次回技術担当が回答する。",
        "{p}と面談。セキュリティチェックシートの記入依頼とあわせて質問を数点いただいた。",
        "{p}と{p2}に提案内容を説明。{topic}の例外処理について鋭い質問が続いた。",
        "{p}と打合せ。ライセンス体系と将来の拠点追加時の費用について質問あり。",
    ],
    "seller": [
        "近くまで伺ったので{p}に資料をお届け。短時間の立ち話のみ。",
        "{p}に新機能のリーフレットを手渡し。特に質問はなし。",
        "事例セミナーの案内で訪問。{p}と名刺交換のみ。",
    ],
    "seller_nobody": [
        "展示会の案内状を持参。担当者不在のため受付に預けた。",
        "年末のご挨拶で訪問したが、担当者不在のため名刺を置いてきた。",
        "近くに寄ったので訪問したが会議中とのこと。資料のみ受付に預けた。",
    ],
    "support": [
        "{p}より帳票出力の設定方法について問い合わせ。手順書の該当ページを案内。",
        "{p}から新規スタッフのアカウント追加方法について質問。管理画面から追加できる旨を回答。",
        "{p}より予約枠の一括変更について問い合わせ。CSVでの一括更新を案内した。",
        "{p}から休診日の設定方法について質問。カレンダー設定の手順を送付。",
        "{p}より受付端末のブラウザ推奨環境について問い合わせ。最新版のChromeを案内。",
        "{p}からパスワード再設定の運用について質問。管理者による再発行手順を説明。",
        "{p}より患者向け通知メールの文面変更について問い合わせ。テンプレート編集を案内。",
        "{p}から月次の利用状況レポートの見方について質問。次回定例で説明することに。",
        "{p}より権限ロールの追加について問い合わせ。受付専用ロールの作成手順を回答。",
        "{p}から予約データのCSV出力項目について質問。項目一覧を送付した。",
    ],
    "support_email": [
        "{p}より操作マニュアルの改訂版の送付依頼。最新版をメールで送付。",
        "{p}からメールで、院内研修の日程候補をいただいた。",
        "{p}より、現場スタッフの利用が定着してきたとのメール。",
        "{p}からメールで軽微な表示不具合の報告。サポートで再現確認中。",
    ],
    "legal": [
        "{p}より契約書ドラフトの責任制限条項について質問。法務から回答予定。",
        "{p}から個人情報の取扱いに関する覚書の雛形を求められ、送付した。",
        "{p}よりSLAの稼働率定義について問い合わせ。計画停止の扱いを説明。",
        "{p}から再委託先の一覧提出を求められた。法務と確認のうえ提出する。",
        "{p}よりメールで、データ消去証明書の発行可否について質問。発行可能と回答。",
    ],
}

JA_TITLES = {"部長", "課長", "課長代理", "主任", "係長", "社長", "本部長", "常務", "次長",
             "室長", "顧問", "事務長"}

KIND_ACTIONS = {
    "email": ["emailed_us"],
    "question": ["asked_question"],
    "email_q": ["emailed_us", "asked_question"],
    "call": ["called_us"],
    "call_q": ["called_us", "asked_question"],
    "meeting": ["meeting_accepted"],
    "meeting_q": ["meeting_accepted", "asked_question"],
    "seller": [],
    "seller_nobody": [],
    "support": ["asked_question"],
    "support_email": ["emailed_us"],
    "legal": ["emailed_us", "asked_question"],
}
KIND_NOTES = {"email_q": "question"}


# ----------------------------------------------------------------------------- deals
def d(s: str) -> date:
    return date.fromisoformat(s)


def qe(indicator, checked, by, when, reason):
    return {"indicator": indicator, "checked": checked, "by": by, "date": when, "reason": reason}


DEALS = [
    {
        "id": "D-1001", "customer": "株式会社ミナト物流", "stage": "approval",
        "members": [
            {"user": "tanaka.y", "role": "sales", "skills": ["prospecting", "hearing", "negotiation"], "notify": "all"},
            {"user": "watanabe.k", "role": "presales", "skills": ["solution_design", "presentation", "industry_knowledge"], "notify": "all"},
            {"user": "sato.m", "role": "sales_manager", "skills": ["pricing", "ringi_support"], "notify": "all"},
            {"user": "nakamura.t", "role": "executive_sponsor", "skills": ["negotiation"], "notify": "digest"},
        ],
        "maintainer": "sato.m",
        "quality_events": [
            qe("empathy", True, "sato.m", "2026-06-10", "物流部の木村部長が配車業務の属人化を強く問題視している"),
            qe("competitive_edge", True, "sato.m", "2026-08-20", "デモ比較で動態管理連携が評価された"),
            qe("budget_secured", True, "sato.m", "2026-10-05", "来期予算に計上済みと経理部から確認"),
            qe("decision_maker", True, "sato.m", "2026-11-13", "清水常務と面会"),
        ],
    },
    {
        "id": "D-1002", "customer": "東邦精機株式会社", "stage": "quotation",
        "members": [
            {"user": "suzuki.r", "role": "sales", "skills": ["prospecting", "hearing"], "notify": "all"},
            {"user": "yamamoto.a", "role": "presales", "skills": ["solution_design", "industry_knowledge"], "notify": "all"},
            {"user": "kobayashi.h", "role": "sales_manager", "skills": ["pricing", "negotiation"], "notify": "digest"},
        ],
        "maintainer": "kobayashi.h",
        "quality_events": [
            qe("empathy", True, "kobayashi.h", "2026-06-12", "社長が受発注の二重入力解消に共感"),
            qe("competitive_edge", True, "kobayashi.h", "2026-07-15", "既存ベンダーより連携範囲が広いと評価"),
            qe("competitive_edge", False, "kobayashi.h", "2026-10-20", "競合が大幅な値引きを提示"),
        ],
    },
    {
        "id": "D-1003", "customer": "合同会社さくらデザイン", "stage": "proposal",
        "members": [
            {"user": "ito.s", "role": "sales", "skills": ["prospecting", "hearing"], "notify": "all"},
            {"user": "watanabe.k", "role": "presales", "skills": ["solution_design", "presentation"], "notify": "digest"},
        ],
        "maintainer": "sato.m",
        "quality_events": [
            qe("referral", True, "sato.m", "2026-09-10", "ミナト物流の松本課長からの紹介"),
            qe("empathy", True, "sato.m", "2026-10-01", "工数の見える化に強い関心"),
            qe("budget_secured", True, "sato.m", "2026-11-20", "年度内の導入予算を確保済み"),
            qe("competitive_edge", True, "sato.m", "2026-11-20", "比較対象は表計算のみ"),
        ],
    },
    {
        "id": "D-1004", "customer": "北斗食品工業株式会社", "stage": "hearing",
        "members": [
            {"user": "takahashi.n", "role": "sales", "skills": ["hearing", "industry_knowledge"], "notify": "all"},
            {"user": "yamamoto.a", "role": "presales", "skills": ["industry_knowledge"], "notify": "none"},
        ],
        "maintainer": "kobayashi.h",
        "quality_events": [
            qe("empathy", True, "kobayashi.h", "2026-07-10", "品質保証部が記録の電子化に関心"),
        ],
    },
    {
        "id": "D-1005", "customer": "有限会社あおば工務店", "stage": "first_contact",
        "members": [
            {"user": "ito.s", "role": "sales", "skills": ["prospecting"], "notify": "all"},
        ],
        "maintainer": "sato.m",
        "quality_events": [
            qe("referral", True, "sato.m", "2026-11-16", "ミナト物流の清水常務からの紹介"),
        ],
    },
    {
        "id": "D-1006", "customer": "株式会社しらかわ電機", "stage": "problem_agreement",
        "members": [
            {"user": "takahashi.n", "role": "sales", "skills": ["hearing", "problem_framing"], "notify": "all"},
            {"user": "yamamoto.a", "role": "presales", "skills": ["problem_framing", "solution_design"], "notify": "all"},
        ],
        "maintainer": "kobayashi.h",
        "quality_events": [
            qe("empathy", True, "kobayashi.h", "2026-06-20", "保守受付の属人化に課題認識あり"),
            qe("budget_secured", True, "kobayashi.h", "2026-09-10", "下期予算枠ありと川口課長"),
            qe("budget_secured", False, "kobayashi.h", "2026-10-02", "全社で予算凍結、12月に再開予定"),
        ],
        "snoozed_until": "2026-12-14",
    },
    {
        "id": "D-1007", "customer": "株式会社ことぶき銀行", "stage": "approval",
        "route": [
            {"department": "システム部"},
            {"department": "事務統括部"},
            {"department": "リスク統括部"},
            {"role": "director", "department": "システム部"},
            {"role": "executive"},
        ],
        "members": [
            {"user": "suzuki.r", "role": "sales", "skills": ["hearing", "negotiation"], "notify": "all"},
            {"user": "watanabe.k", "role": "presales", "skills": ["solution_design", "presentation"], "notify": "digest"},
            {"user": "sato.m", "role": "sales_manager", "skills": ["pricing", "ringi_support"], "notify": "all"},
            {"user": "nakamura.t", "role": "executive_sponsor", "skills": ["negotiation"], "notify": "digest"},
        ],
        "maintainer": "sato.m",
        "quality_events": [
            qe("empathy", True, "sato.m", "2026-07-16", "事務統括部が紙の稟議回付の削減を最優先課題に"),
            qe("budget_secured", True, "sato.m", "2026-09-30", "システム投資計画に計上"),
            qe("decision_maker", True, "sato.m", "2026-11-06", "安藤CIOと面会"),
        ],
    },
    {
        "id": "D-1008", "customer": "株式会社オリオン薬品", "stage": "won",
        "members": [
            {"user": "tanaka.y", "role": "sales", "skills": ["negotiation", "contract"], "notify": "all"},
            {"user": "kato.e", "role": "legal", "skills": ["contract"], "notify": "all"},
            {"user": "sato.m", "role": "sales_manager", "skills": ["pricing", "ringi_support"], "notify": "digest"},
            {"user": "yoshida.m", "role": "support", "skills": ["onboarding", "technical_support"], "notify": "digest"},
        ],
        "maintainer": "sato.m",
        "quality_events": [
            qe("empathy", True, "sato.m", "2026-06-18", "営業企画が日報入力の負荷削減を重視"),
            qe("competitive_edge", True, "sato.m", "2026-08-07", "グローバル本社の標準ツールより日本語帳票が強い"),
            qe("budget_secured", True, "sato.m", "2026-09-08", "CFO承認済みの予算申請"),
            qe("decision_maker", True, "sato.m", "2026-09-15", "CFOと面会"),
        ],
    },
    {
        "id": "D-1009", "customer": "医療法人社団ひかり会", "stage": "onboarding",
        "members": [
            {"user": "yoshida.m", "role": "support", "skills": ["onboarding", "technical_support"], "notify": "all"},
            {"user": "yamada.k", "role": "customer_success", "skills": ["onboarding"], "notify": "all"},
            {"user": "ito.s", "role": "sales", "skills": ["negotiation"], "notify": "digest"},
        ],
        "maintainer": "kobayashi.h",
        "quality_events": [
            qe("referral", True, "kobayashi.h", "2026-05-20", "既存顧客のクリニックからの紹介"),
            qe("empathy", True, "kobayashi.h", "2026-05-20", "受付の電話予約負荷の削減に共感"),
            qe("budget_secured", True, "kobayashi.h", "2026-05-20", "契約済み"),
            qe("decision_maker", True, "kobayashi.h", "2026-06-04", "荒木事務長がキックオフに出席"),
        ],
    },
    {
        "id": "D-1010", "customer": "株式会社やまと建設", "stage": "proposal",
        "members": [
            {"user": "takahashi.n", "role": "sales", "skills": ["hearing", "presentation"], "notify": "all"},
            {"user": "yamamoto.a", "role": "presales", "skills": ["solution_design", "presentation"], "notify": "all"},
            {"user": "kobayashi.h", "role": "sales_manager", "skills": ["pricing"], "notify": "none"},
        ],
        "maintainer": "kobayashi.h",
        "quality_events": [
            qe("empathy", True, "kobayashi.h", "2026-07-22", "工事部が原価の把握遅れを課題視"),
            qe("referral", True, "kobayashi.h", "2026-07-22", "協力会社からの紹介"),
        ],
    },
]

# Customer-side people per deal: key -> contact (title, or role id for D-1009).
PEOPLE = {
    "D-1001": {
        "k1": ("佐々木 拓也", "担当", "物流部"),
        "k2": ("村上 美穂", "主任", "情報システム部"),
        "m1": ("松本 和也", "課長", "物流部"),
        "m2": ("井上 恵", "課長代理", "経理部"),
        "d1": ("木村 正樹", "部長", "物流部"),
        "d2": ("林 秀明", "本部長", "経営企画部"),
        "e1": ("清水 浩二", "常務", "経営企画部"),
    },
    "D-1002": {
        "k1": ("石井 大輔", "担当", "生産管理部"),
        "k2": ("前田 由香", "リーダー", "購買部"),
        "m1": ("藤田 隆", "課長", "生産管理部"),
        "d1": ("岡田 誠", "部長", "生産管理部"),
        "e1": ("長谷川 茂", "社長", None),
        "x1": ("近藤 博", "顧問", "生産管理部"),
    },
    "D-1003": {
        "m1": ("小川 直樹", "マネージャー", "制作部"),
    },
    "D-1004": {
        "k1": ("桜井 翔太", "担当", "製造部"),
        "k2": ("森 由美", "主任", "品質保証部"),
    },
    "D-1006": {
        "k1": ("平野 健", "担当", "サービス部"),
        "k2": ("菅原 亮", "係長", "情報システム部"),
        "m1": ("川口 智子", "課長", "サービス部"),
        "d1": ("大野 修", "部長", "サービス部"),
    },
    "D-1007": {
        "k1": ("西村 悠", "担当", "システム部"),
        "k2": ("原田 彩", "担当", "事務統括部"),
        "m1": ("中島 聡", "課長代理", "システム部"),
        "x1": ("小松 洋子", "室長", "事務統括部"),
        "d1": ("高木 宏", "部長", "システム部"),
        "e1": ("安藤 俊介", "ＣＩＯ", "経営企画部"),
    },
    "D-1008": {
        "k1": ("青木 健", "Specialist", "Sales Operations"),
        "k2": ("山口 さやか", "Analyst", "Finance"),
        "m1": ("福田 亮介", "Manager", "Sales Operations"),
        "m2": ("斎藤 舞", "Team Lead", "IT"),
        "d1": ("遠藤 誠", "Director", "Sales Operations"),
        "e1": ("Michael Brown", "CEO", None),
        "e2": ("上野 仁", "CFO", "Finance"),
    },
    "D-1009": {  # role ids instead of titles (a CRM that stores role ids)
        "k1": ("大西 彩花", "role:staff", "医事課"),
        "k2": ("北村 潤", "role:staff", "情報システム室"),
        "m1": ("松井 美香", "role:manager", "医事課"),
        "d1": ("荒木 和夫", "role:director", "事務部"),
    },
    "D-1010": {
        "k1": ("吉川 翼", "担当", "工事部"),
        "k2": ("安田 美咲", "担当", "情報システム部"),
        "m1": ("横山 健司", "課長", "工事部"),
        "d1": ("石田 誠一", "次長", "工事部"),
    },
}

TOPIC = {
    "D-1001": "配車計画", "D-1002": "受発注管理", "D-1003": "案件別の工数管理",
    "D-1004": "品質記録", "D-1006": "保守受付", "D-1007": "事務手続きのワークフロー",
    "D-1008": "MRの日報・経費精算", "D-1009": "予約受付", "D-1010": "工程・原価管理",
}


# ----------------------------------------------------------------------------- generation
class Gen:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.acts: list[dict] = []
        self.decks: dict[str, list[str]] = {}

    def note(self, key: str) -> str:
        deck = self.decks.get(key)
        if not deck:
            deck = list(NOTES[key])
            self.rng.shuffle(deck)
            self.decks[key] = deck
        return deck.pop()

    @staticmethod
    def contact(deal: str, key: str) -> dict:
        person, title, dept = PEOPLE[deal][key]
        c = {"person": person}
        if title.startswith("role:"):
            c["role"] = title[5:]
        else:
            c["title"] = title
        if dept is not None:
            c["department"] = dept
        return c

    @staticmethod
    def call_name(deal: str, key: str) -> str:
        person, title, _ = PEOPLE[deal][key]
        surname = person.split(" ")[0]
        if title in JA_TITLES:
            return surname + title
        if title in ("CEO", "CFO"):
            return person.split(" ")[-1] + " " + title if person.isascii() else surname + title
        return surname + "様"

    def add(self, deal, when, actions, keys, note, reporter, attendees=None):
        contacts = [self.contact(deal, k) for k in keys]
        if note in NOTES:
            text = self.note(note)
        else:
            text = note
        names = [self.call_name(deal, k) for k in keys] + ["ご担当者様", "ご担当者様"]
        text = text.format(p=names[0], p2=names[1], topic=TOPIC.get(deal, "業務"))
        act = {"id": None, "deal": deal, "date": when.isoformat(), "actions": list(actions),
               "contacts": contacts}
        if attendees is not None:
            act["attendees"] = attendees
        act["reporter"] = reporter
        act["note"] = text
        self.acts.append(act)

    def weekday_in(self, start: date, end: date) -> date:
        days = [start + timedelta(n) for n in range((end - start).days + 1)]
        days = [x for x in days if x.weekday() < 5]
        return self.rng.choice(days)

    def filler(self, deal, start, end, n, mix, reporters):
        """n activities on random weekdays in [start, end]; mix = [(weight, kind, [key choices])]."""
        weights = [w for w, _, _ in mix]
        for _ in range(n):
            _, kind, keysets = self.rng.choices(mix, weights)[0]
            keys = self.rng.choice(keysets)
            when = self.weekday_in(d(start), d(end))
            note = KIND_NOTES.get(kind, kind)
            self.add(deal, when, KIND_ACTIONS[kind], keys, note, self.rng.choice(reporters))


def build() -> tuple[list[dict], list[dict]]:
    g = Gen()
    A = g.add

    # ------------------------------------------------------------- D-1001 ミナト物流 (close)
    D = "D-1001"
    A(D, d("2026-05-07"), ["meeting_accepted"], ["k1"], "初回訪問。佐々木様に会社紹介と物流業界の事例をご説明。配車計画の見直しを検討中とのこと。", "tanaka.y")
    A(D, d("2026-05-21"), ["meeting_accepted", "asked_question"], ["k1", "m1"], "松本課長同席で課題ヒアリング。配車表がExcelで属人化しており、担当者の休暇時に回らないとのこと。", "tanaka.y")
    A(D, d("2026-06-09"), ["meeting_accepted", "introduced_boss"], ["m1", "d1"], "松本課長のご紹介で木村部長にご挨拶。配車業務の標準化は部の重点課題と伺った。", "tanaka.y", 3)
    A(D, d("2026-07-02"), ["visited_us", "requested_demo"], ["d1", "m1", "k1"], "木村部長ほか3名が来社。動態管理との連携デモを実施し、トライアルの依頼をいただいた。", "watanabe.k", 4)
    A(D, d("2026-08-19"), ["meeting_accepted", "asked_question"], ["d1", "k2", "m1"], "トライアル結果の報告会。木村部長から全拠点展開時の運用について質問が集中。", "watanabe.k", 5)
    A(D, d("2026-09-10"), ["requested_quote"], ["m1"], "松本課長より全5拠点分の見積依頼。来期予算の申請に間に合わせたいとのこと。", "tanaka.y")
    A(D, d("2026-09-29"), ["meeting_accepted", "introduced_boss"], ["d1", "d2"], "木村部長のご紹介で経営企画部の林本部長と面談。投資対効果の説明資料を求められた。", "sato.m", 2)
    A(D, d("2026-10-05"), ["budget_request", "emailed_us"], ["m2"], "経理部の井上課長代理よりメール。来期予算に当社システム費用を計上したとのご連絡。", "tanaka.y")
    A(D, d("2026-10-22"), ["meeting_accepted", "asked_question"], ["d2", "m2"], "林本部長と井上課長代理に稟議書の添付資料（効果試算・リスク対策）の構成をご説明。", "sato.m", 2)
    A(D, d("2026-11-13"), ["meeting_accepted"], ["e1", "d1", "d2"], "清水常務と面会。当社役員の中村も同席。全社の物流DXの一環として位置付けたいとのお言葉。", "sato.m", 4)
    A(D, d("2026-11-24"), ["approval_circular", "called_us"], ["d1"], "木村部長より電話。本日稟議を申請した、12月上旬の経営会議で決裁予定とのこと。", "tanaka.y")
    A(D, d("2026-08-05"), [], ["d1"], "近くまで伺ったので木村部長にトライアル中間報告の資料をお届け。立ち話で状況共有のみ。", "tanaka.y")
    g.filler(D, "2026-05-08", "2026-08-31", 16, [
        (3, "email", [["k1"], ["m1"], ["k2"]]), (2, "question", [["k1"], ["k2"]]),
        (2, "meeting", [["k1", "m1"], ["m1"]]), (1, "call", [["m1"], ["k1"]]),
        (1, "meeting_q", [["k1", "k2"]])], ["tanaka.y", "tanaka.y", "watanabe.k"])
    g.filler(D, "2026-09-01", "2026-10-16", 10, [
        (2, "email", [["k1"], ["m1"], ["m2"]]), (2, "question", [["k2"], ["m2"]]),
        (2, "meeting", [["m1"], ["k1", "m1"]]), (1, "call_q", [["m1"]])], ["tanaka.y", "watanabe.k"])
    g.filler(D, "2026-10-17", "2026-11-27", 20, [
        (2, "email", [["k1"], ["m1"], ["m2"]]), (2, "question", [["k2"], ["m2"]]),
        (3, "meeting", [["m1", "d1"], ["d1"], ["k1", "m1"]]), (2, "call", [["m1"], ["d1"]]),
        (1, "meeting_q", [["d2", "m2"]])], ["tanaka.y", "watanabe.k", "sato.m"])

    # ------------------------------------------------------------- D-1002 東邦精機 (qualify, top_role_absent)
    D = "D-1002"
    A(D, d("2026-05-13"), ["visited_us", "asked_question"], ["k1"], "展示会ブースに石井様が来訪。受発注の二重入力に困っているとのことで、後日訪問の約束。", "suzuki.r")
    A(D, d("2026-05-27"), ["meeting_accepted"], ["k1", "m1"], "藤田課長・石井様を訪問。生産管理と購買で同じ注文を二度入力している現状を確認。", "suzuki.r", 2)
    A(D, d("2026-06-10"), ["meeting_accepted", "introduced_boss"], ["e1", "d1"], "岡田部長のご紹介で長谷川社長と面談。社長自ら二重入力の解消を指示しているとのこと。", "kobayashi.h", 3)
    A(D, d("2026-07-07"), ["requested_demo"], ["m1"], "藤田課長よりトライアルの依頼。購買部の前田様も参加予定。", "yamamoto.a")
    A(D, d("2026-09-09"), ["meeting_accepted", "asked_question"], ["d1", "x1", "m1"], "岡田部長・近藤顧問に中間報告。顧問から既存の生産管理システムとの連携方式について質問多数。", "yamamoto.a", 3)
    A(D, d("2026-10-19"), ["meeting_accepted", "asked_question"], ["d1", "m1"], "岡田部長より、競合が大幅値引きを提示してきたと率直な話あり。当社の強みを再整理して提示する。", "kobayashi.h", 2)
    A(D, d("2026-11-09"), ["requested_quote"], ["m1"], "藤田課長より正式な見積依頼。値引きではなく導入支援の範囲で比較したいとのこと。", "suzuki.r")
    A(D, d("2026-11-20"), ["meeting_accepted"], ["d1", "m1", "k2"], "見積内容を岡田部長に説明。社長への報告は部長から行うとのことで、同席は難しいとの回答。", "suzuki.r", 3)
    A(D, d("2026-08-21"), [], ["k1"], "盆明けのご挨拶で訪問し、石井様にトライアル延長の案内をお渡し。", "suzuki.r")
    g.filler(D, "2026-05-14", "2026-09-04", 15, [
        (3, "email", [["k1"], ["k2"], ["m1"]]), (2, "question", [["k1"], ["k2"]]),
        (2, "meeting", [["m1"], ["k1", "k2"]]), (1, "call", [["m1"]]), (1, "meeting_q", [["m1", "k2"]])],
        ["suzuki.r", "yamamoto.a"])
    g.filler(D, "2026-09-05", "2026-10-16", 9, [
        (2, "email", [["k1"], ["k2"]]), (2, "question", [["k1"], ["m1"]]),
        (2, "meeting", [["m1"], ["d1"]]), (1, "call", [["m1"]])], ["suzuki.r", "yamamoto.a"])
    g.filler(D, "2026-10-17", "2026-11-27", 14, [
        (2, "email", [["k1"], ["k2"], ["m1"]]), (2, "question", [["k2"], ["m1"]]),
        (2, "meeting", [["m1"], ["d1"], ["m1", "k1"]]), (2, "call_q", [["m1"], ["d1"]])],
        ["suzuki.r", "yamamoto.a", "kobayashi.h"])

    # ------------------------------------------------------------- D-1003 さくらデザイン (engage, single_threaded)
    D = "D-1003"
    A(D, d("2026-09-10"), ["meeting_accepted"], ["m1"], "ミナト物流の松本課長のご紹介で初回訪問。小川様より案件ごとの工数がつかめていないと相談。", "ito.s")
    A(D, d("2026-09-14"), ["emailed_us"], ["m1"], "小川様より現在の工数管理表（Excel）をメールで受領。", "ito.s")
    A(D, d("2026-09-28"), ["meeting_accepted", "asked_question"], ["m1"], "小川様と打合せ。外注費も案件別に集計できるかとの質問あり。", "ito.s")
    A(D, d("2026-10-08"), ["emailed_us"], ["m1"], "小川様よりメール。社長にも話を通したので、デモを見たいとのこと。", "ito.s")
    A(D, d("2026-10-20"), ["requested_demo"], ["m1"], "小川様よりデモの正式依頼。制作部の全員で見たいとのこと。", "watanabe.k")
    A(D, d("2026-10-30"), [], [], "デモ日程の調整で訪問したが、小川様は撮影立ち会いで不在。受付に資料を預けた。", "ito.s")
    A(D, d("2026-11-05"), ["called_us"], ["m1"], "小川様より電話。デモ後、部内の反応が良く提案書を見たいとのこと。", "ito.s")
    A(D, d("2026-11-12"), ["asked_question"], ["m1"], "小川様から請求書発行との連携について問い合わせ。提案書に盛り込む。", "watanabe.k")
    A(D, d("2026-11-19"), ["meeting_accepted"], ["m1"], "小川様に提案書をご説明。年内に社長と相談して方向性を決めたいとのこと。社長面談を打診中。", "ito.s")
    A(D, d("2026-11-25"), ["emailed_us"], ["m1"], "小川様より提案書への御礼メール。予算は確保済みとのこと。", "ito.s")

    # ------------------------------------------------------------- D-1004 北斗食品工業 (review, declining, route_gap)
    D = "D-1004"
    A(D, d("2026-05-12"), ["meeting_accepted"], ["k1"], "初回訪問。桜井様に会社紹介。品質記録が紙で、監査前に集計が大変とのこと。", "takahashi.n")
    A(D, d("2026-05-20"), ["emailed_us"], ["k1"], "桜井様より点検記録表のサンプルをメールで受領。", "takahashi.n")
    A(D, d("2026-06-03"), [], ["k1"], "近くまで伺ったので桜井様に事例集をお届け。短時間の立ち話のみ。", "takahashi.n")
    A(D, d("2026-06-17"), ["asked_question"], ["k2"], "品質保証部の森主任よりHACCPの記録様式に対応できるか問い合わせ。", "takahashi.n")
    A(D, d("2026-07-08"), ["meeting_accepted", "asked_question"], ["k1", "k2"], "桜井様・森主任と打合せ。課長への説明は時期尚早とのことで、まず現場で情報収集したいとのこと。", "takahashi.n", 2)
    A(D, d("2026-07-29"), ["emailed_us"], ["k2"], "森主任よりメール。繁忙期のため打合せは9月以降にしたいとのこと。", "takahashi.n")
    A(D, d("2026-08-19"), [], [], "お盆明けに訪問したが担当者不在。資料を受付に預けた。", "takahashi.n")
    A(D, d("2026-09-08"), ["meeting_accepted", "asked_question"], ["k1", "k2"], "桜井様・森主任と打合せ。記録の入力をタブレットで行えるか質問あり。上長紹介を依頼したが保留。", "takahashi.n", 2)
    A(D, d("2026-09-16"), ["emailed_us"], ["k1"], "桜井様より、ライン別の記録項目一覧をメールで受領。", "takahashi.n")
    A(D, d("2026-09-24"), ["called_us", "asked_question"], ["k2"], "森主任より電話。監査ログの保存期間について質問。", "yamamoto.a")
    A(D, d("2026-10-01"), ["asked_question"], ["k1"], "桜井様から料金体系について問い合わせ。ライン数ではなくユーザ数課金と回答。", "takahashi.n")
    A(D, d("2026-10-09"), ["emailed_us"], ["k2"], "森主任より、社内の優先順位が下がったため検討を一時保留したいとのメール。", "takahashi.n")
    A(D, d("2026-10-28"), [], ["k1"], "桜井様に新機能のリーフレットを手渡し。検討再開の時期は未定とのこと。", "takahashi.n")
    A(D, d("2026-11-12"), ["emailed_us"], ["k1"], "桜井様よりメール。来年度の計画策定で改めて相談したいとのこと。", "takahashi.n")

    # ------------------------------------------------------------- D-1005 あおば工務店: no activities at all

    # ------------------------------------------------------------- D-1006 しらかわ電機 (qualify, no_energy, declining; snoozed)
    D = "D-1006"
    A(D, d("2026-05-19"), ["meeting_accepted"], ["k1"], "初回訪問。平野様に会社紹介。保守受付を電話とFAXで受けており、対応漏れがあるとのこと。", "takahashi.n")
    A(D, d("2026-06-02"), ["meeting_accepted", "asked_question"], ["k1", "m1"], "川口課長同席で課題ヒアリング。受付から手配までの平均時間を測ってくださることに。", "takahashi.n", 2)
    A(D, d("2026-06-23"), ["visited_us"], ["m1", "k1", "k2"], "川口課長ほか3名が来社。保守受付のデモをご覧いただき、課題の整理を一緒に進めることで合意。", "yamamoto.a", 3)
    A(D, d("2026-07-14"), ["meeting_accepted"], ["m1", "k2"], "川口課長・菅原係長と課題一覧の読み合わせ。6項目中4項目で合意。", "yamamoto.a", 2)
    A(D, d("2026-08-04"), ["emailed_us", "asked_question"], ["k2"], "菅原係長より、既存の顧客台帳との連携方法についてメールで質問。", "yamamoto.a")
    A(D, d("2026-09-07"), ["called_us"], ["m1"], "川口課長より電話。下期の予算枠があるので部長に話を上げたいとのこと。", "takahashi.n")
    A(D, d("2026-09-18"), ["meeting_accepted", "introduced_boss"], ["m1", "d1"], "川口課長のご紹介で大野部長と面談。課題一覧には合意いただき、費用感を知りたいとのこと。", "takahashi.n", 2)
    A(D, d("2026-09-25"), ["emailed_us", "asked_question"], ["m1"], "川口課長より、概算費用の前提について質問メール。", "takahashi.n")
    A(D, d("2026-10-02"), ["called_us"], ["m1"], "川口課長より電話。全社で予算凍結となり、12月まで検討を中断したいとのこと。", "takahashi.n")
    A(D, d("2026-10-23"), [], [], "年末の展示会案内を持参して訪問。担当者不在のため受付に預けた。", "takahashi.n")
    g.filler(D, "2026-05-20", "2026-08-28", 5, [
        (2, "email", [["k1"], ["k2"]]), (2, "question", [["k1"], ["m1"]]), (1, "call", [["m1"]])],
        ["takahashi.n", "yamamoto.a"])

    # ------------------------------------------------------------- D-1007 ことぶき銀行 (close, custom route 4/5)
    D = "D-1007"
    A(D, d("2026-05-15"), ["meeting_accepted"], ["k1", "m1"], "初回訪問。システム部の中島課長代理・西村様に事務ワークフロー電子化の事例をご紹介。", "suzuki.r", 2)
    A(D, d("2026-06-04"), ["meeting_accepted", "asked_question"], ["x1", "k2"], "事務統括部の小松室長と打合せ。紙の回付で決裁まで平均9日かかっているとのこと。", "suzuki.r", 2)
    A(D, d("2026-07-16"), ["visited_us", "requested_demo"], ["x1", "m1", "k1", "k2"], "小松室長・中島課長代理ほか4名が来社。デモをご覧いただき、検証環境での試行を依頼された。", "watanabe.k", 6)
    A(D, d("2026-08-27"), ["meeting_accepted", "introduced_boss"], ["m1", "d1"], "中島課長代理のご紹介でシステム部の高木部長と面談。セキュリティ評価の進め方を確認。", "suzuki.r", 2)
    A(D, d("2026-09-30"), ["budget_request"], ["d1"], "高木部長より、来年度システム投資計画に本件を計上したとのご連絡。", "sato.m")
    A(D, d("2026-10-14"), ["requested_quote"], ["m1"], "中島課長代理より本番環境の正式見積依頼。", "suzuki.r")
    A(D, d("2026-11-06"), ["meeting_accepted"], ["e1", "d1"], "安藤ＣＩＯと面会。当社の中村が同席。リスク統括部の審査が通れば進めたいとのお言葉。", "sato.m", 3)
    A(D, d("2026-11-18"), ["meeting_accepted", "asked_question"], ["d1", "m1", "k1"], "高木部長と稟議書の添付資料を確認。リスク統括部向けに外部委託先評価の資料を追加する。", "sato.m", 3)
    A(D, d("2026-11-25"), ["approval_circular"], ["d1"], "高木部長より稟議を起票したとの連絡。リスク統括部の合議を経て12月中旬に決裁予定。", "suzuki.r")
    A(D, d("2026-09-02"), [], [], "セキュリティチェックシートの原本をお届け。担当者不在のため受付に預けた。", "suzuki.r")
    g.filler(D, "2026-05-18", "2026-09-04", 14, [
        (3, "email", [["k1"], ["k2"], ["m1"]]), (3, "question", [["k1"], ["k2"], ["m1"]]),
        (2, "meeting", [["k1", "m1"], ["k2"]]), (1, "call", [["m1"], ["k2"]]),
        (1, "meeting_q", [["x1", "k2"], ["m1", "k1"]])], ["suzuki.r", "watanabe.k"])
    g.filler(D, "2026-09-05", "2026-10-16", 10, [
        (2, "email", [["k1"], ["m1"]]), (2, "question", [["k1"], ["k2"]]),
        (2, "meeting", [["m1"], ["k1", "m1"], ["x1"]]), (1, "call_q", [["m1"]])],
        ["suzuki.r", "watanabe.k"])
    g.filler(D, "2026-10-17", "2026-11-27", 18, [
        (2, "email", [["k1"], ["m1"], ["k2"]]), (2, "question", [["k1"], ["m1"]]),
        (3, "meeting", [["m1"], ["d1", "m1"], ["x1", "k2"]]), (2, "call", [["m1"], ["d1"]]),
        (1, "call_q", [["m1"]])], ["suzuki.r", "watanabe.k", "sato.m"])

    # ------------------------------------------------------------- D-1008 オリオン薬品 (close, declining)
    D = "D-1008"
    A(D, d("2026-05-11"), ["meeting_accepted"], ["k1"], "初回訪問。Sales Operationsの青木様にMR向け日報アプリの事例を紹介。", "tanaka.y")
    A(D, d("2026-06-01"), ["meeting_accepted", "introduced_boss"], ["k1", "m1"], "青木様のご紹介で福田様（Manager）と面談。日報と経費精算が別システムで二重入力とのこと。", "tanaka.y", 2)
    A(D, d("2026-06-24"), ["meeting_accepted", "introduced_boss"], ["m1", "d1"], "福田様のご紹介で遠藤様（Director）にご挨拶。グローバル標準ツールとの比較を求められた。", "tanaka.y", 2)
    A(D, d("2026-07-15"), ["requested_demo"], ["m2"], "IT部門の斎藤様よりトライアル環境の依頼。SSO接続の検証も行いたいとのこと。", "tanaka.y")
    A(D, d("2026-08-07"), ["visited_us", "requested_quote"], ["d1", "m1", "m2", "k1"], "遠藤様ほか4名が来社。トライアル結果を報告し、全MR300名分の見積依頼をいただいた。", "sato.m", 5)
    A(D, d("2026-09-08"), ["budget_request", "emailed_us"], ["k2"], "Financeの山口様よりメール。CFO承認のうえ予算申請を行ったとのこと。", "tanaka.y")
    A(D, d("2026-09-15"), ["meeting_accepted", "asked_question"], ["e2", "d1"], "上野CFOと面会。3年総額と解約条件について質問をいただいた。", "sato.m", 2)
    A(D, d("2026-09-24"), ["approval_circular"], ["d1"], "遠藤様より稟議申請を行ったとのご連絡。10月初旬に決裁見込み。", "tanaka.y")
    A(D, d("2026-10-09"), ["meeting_accepted", "called_us"], ["e1", "e2", "d1"], "Michael Brown CEO・上野CFO同席で契約締結。CEOから全国展開への期待のお言葉。", "sato.m", 4)
    A(D, d("2026-10-14"), ["meeting_accepted", "asked_question"], ["m1", "m2", "k1"], "導入キックオフの事前打合せ。サポートの吉田に引き継ぎ、移行スケジュールを確認。", "yoshida.m", 4)
    g.filler(D, "2026-05-12", "2026-09-04", 16, [
        (3, "email", [["k1"], ["m1"], ["m2"]]), (3, "question", [["k1"], ["m2"]]),
        (2, "meeting", [["k1", "m1"], ["m1"], ["m2", "k1"]]), (1, "call", [["m1"]]),
        (1, "meeting_q", [["d1", "m1"]])], ["tanaka.y", "tanaka.y", "sato.m"])
    g.filler(D, "2026-09-05", "2026-10-16", 12, [
        (2, "meeting", [["m1"], ["d1", "m1"], ["k1", "m2"]]), (2, "call", [["m1"], ["d1"]]),
        (2, "call_q", [["m2"], ["k2"]]), (1, "meeting_q", [["d1", "k2"]])],
        ["tanaka.y", "sato.m"])
    g.filler(D, "2026-10-19", "2026-11-26", 7, [
        (3, "legal", [["k2"], ["m1"]]), (1, "email", [["k1"], ["m2"]])], ["kato.e", "tanaka.y"])

    # ------------------------------------------------------------- D-1009 ひかり会 (engage, top_role_absent)
    D = "D-1009"
    A(D, d("2026-06-04"), ["meeting_accepted"], ["d1", "m1", "k1", "k2"], "導入キックオフ。荒木事務長より、受付の電話予約を半減させたいとの目標が示された。", "yamada.k", 6)
    A(D, d("2026-06-18"), ["asked_question"], ["k2"], "北村様より受付端末のネットワーク要件について問い合わせ。要件表を送付。", "yoshida.m")
    A(D, d("2026-07-01"), ["meeting_accepted"], ["m1"], "松井課長とWebで導入計画の最終確認。9月1日の本番稼働で合意。", "yamada.k")
    A(D, d("2026-09-01"), [], [], "本番稼働日。現地で立ち会い、初日の受付業務を見守った。大きなトラブルなし。", "yoshida.m")
    A(D, d("2026-10-21"), ["meeting_accepted"], ["m1", "k1"], "稼働7週の定着状況レビュー。Web予約の利用率は想定の半分程度で、患者向け案内の強化を提案。", "yamada.k", 3)
    A(D, d("2026-11-11"), ["called_us"], ["m1"], "松井課長より電話。事務長への利用状況報告会を年明けに開きたいとのこと。", "yamada.k")
    g.filler(D, "2026-06-05", "2026-09-04", 1, [
        (3, "support", [["k1"], ["k2"]]), (1, "support_email", [["k1"]])],
        ["yoshida.m", "yamada.k"])
    g.filler(D, "2026-09-07", "2026-10-16", 3, [
        (3, "support", [["k1"], ["k2"]]), (1, "support_email", [["k1"]])],
        ["yoshida.m", "yamada.k"])
    g.filler(D, "2026-10-19", "2026-11-27", 4, [
        (3, "support", [["k1"], ["k2"]]), (1, "support_email", [["k1"]])],
        ["yoshida.m", "yamada.k"])

    # ------------------------------------------------------------- D-1010 やまと建設 (qualify, declining)
    D = "D-1010"
    A(D, d("2026-06-03"), ["meeting_accepted"], ["k1", "m1"], "協力会社のご紹介で初回訪問。横山課長・吉川様に現場の原価管理の課題を伺った。", "takahashi.n", 2)
    A(D, d("2026-06-25"), ["meeting_accepted", "introduced_boss"], ["m1", "d1"], "横山課長のご紹介で石田次長と面談。工程表と原価を紐付けたいとの強い要望。", "takahashi.n", 2)
    A(D, d("2026-07-22"), ["visited_us", "requested_demo"], ["d1", "m1", "k1", "k2"], "石田次長ほか4名が来社。現場アプリのデモを実施し、2現場でのトライアルを依頼された。", "yamamoto.a", 4)
    A(D, d("2026-09-09"), ["meeting_accepted", "asked_question"], ["d1", "m1", "k1"], "トライアル報告会。石田次長から全現場展開時の費用について質問多数。", "yamamoto.a", 5)
    A(D, d("2026-09-17"), ["meeting_accepted", "asked_question"], ["d1", "k2"], "石田次長・安田様と既存の会計システム連携を確認。提案書の骨子を合意。", "yamamoto.a", 2)
    A(D, d("2026-10-07"), ["meeting_accepted"], ["m1"], "横山課長より、競合のB社も提案に来ていると情報あり。比較表を作成して再訪する。", "takahashi.n")
    A(D, d("2026-10-21"), [], ["k1"], "比較表を持参したが、横山課長は現場対応で不在。吉川様にお渡しした。", "takahashi.n")
    A(D, d("2026-11-10"), ["emailed_us"], ["k1"], "吉川様よりメール。B社のデモを来週見る予定なので、当社の回答はその後で良いとのこと。", "takahashi.n")
    g.filler(D, "2026-06-04", "2026-09-04", 18, [
        (3, "email", [["k1"], ["k2"], ["m1"]]), (3, "question", [["k1"], ["k2"]]),
        (3, "meeting", [["m1"], ["k1", "m1"], ["d1", "m1"]]), (1, "call", [["m1"], ["k1"]]),
        (1, "meeting_q", [["m1", "k2"]])], ["takahashi.n", "yamamoto.a"])
    g.filler(D, "2026-09-07", "2026-10-14", 11, [
        (2, "meeting", [["m1"], ["k1", "m1"], ["d1"]]), (2, "call_q", [["m1"], ["k1"]]),
        (1, "meeting_q", [["m1", "k2"]]), (1, "call", [["m1"]])], ["takahashi.n", "yamamoto.a"])
    g.filler(D, "2026-10-19", "2026-11-27", 3, [
        (1, "email", [["k1"], ["k2"]]), (1, "seller", [["k1"]])], ["takahashi.n"])

    acts = sorted(g.acts, key=lambda a: (a["date"], a["deal"], a["note"]))
    for n, a in enumerate(acts, 1):
        a["id"] = f"A-{n:04d}"
    return DEALS, acts


def write() -> None:
    deals, acts = build()
    EXAMPLES.mkdir(parents=True, exist_ok=True)
    with open(EXAMPLES / "deals.json", "w", encoding="utf-8", newline="\n") as f:
        json.dump(deals, f, ensure_ascii=False, indent=2)
        f.write("\n")
    with open(EXAMPLES / "activities.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for a in acts:
            f.write(json.dumps(a, ensure_ascii=False, separators=(", ", ": ")) + "\n")
    print(f"wrote {len(deals)} deals, {len(acts)} activities to {EXAMPLES}")


# ----------------------------------------------------------------------------- check
class Model:
    def __init__(self, raw: dict) -> None:
        self.raw = raw
        self.actions = {a["id"]: a for a in raw["actions"]}
        self.roles = {r["id"]: r for r in raw["roles"]}
        self.alias = {}
        for r in raw["roles"]:
            for t in [r["id"], r["label"], *r.get("aliases", [])]:
                self.alias[norm(t)] = r["id"]
        self.bands = raw.get("attendee_bands", [])
        self.route = raw.get("default_route", [])
        self.period_days = raw["continuity"]["period_days"]
        self.periods = raw["continuity"]["periods"]
        self.stale_days = raw.get("stale_days", 30)
        self.stages = {s["id"]: s for s in raw["process"]["stages"]}
        self.indicators = raw["quality"]["indicators"]
        self.thr_e = raw["status"]["energy_threshold"]
        self.thr_q = raw["status"]["quality_threshold"]


def norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).lower().strip()


def resolve(m: Model, c: dict) -> str | None:
    if "role" in c:
        if c["role"] not in m.roles:
            raise ValueError(f"unknown role {c['role']}")
        return c["role"]
    if "title" in c:
        return m.alias.get(norm(c["title"]))
    return None


def score(m: Model, deal: dict, acts: list[dict], T: date) -> dict:
    counted = sorted((a for a in acts if d(a["date"]) <= T), key=lambda a: (a["date"], a["id"].encode()))
    used: dict[str, int] = {}
    total = 0
    bearing = []  # (activity, energy, [(contact, role)])
    unmapped = set()
    for a in counted:
        cs = [(c, resolve(m, c)) for c in a["contacts"]]
        for c, r in cs:
            if r is None and "title" in c:
                unmapped.add(c["title"])
        roles = [r for _, r in cs if r]
        top = max(roles, key=lambda r: m.roles[r]["rank"]) if roles else None
        e = 0
        seen = []
        for act in a["actions"]:
            if act in seen:
                continue
            seen.append(act)
            spec = m.actions[act]
            p = spec.get("by_role", {}).get(top, spec["points"]) if top else spec["points"]
            if "cap" in spec:
                p = max(0, min(p, spec["cap"] - used.get(act, 0)))
            used[act] = used.get(act, 0) + p
            e += p
        if top:
            e += m.roles[top]["points"]
        n = a.get("attendees", len(a["contacts"]))
        band = [b for b in m.bands if b["min"] <= n]
        if band:
            e += band[-1]["points"]
        total += e
        if e > 0:
            bearing.append((a, e, cs))
    # breadth
    people = {c["person"] for a, e, cs in bearing for c, r in cs if "person" in c}
    reached = {r for a, e, cs in bearing for c, r in cs if r}
    top_role = max(reached, key=lambda r: m.roles[r]["rank"]) if reached else None
    route = deal.get("route") or m.route
    covered = 0
    for step in route:
        ok = False
        for a, e, cs in bearing:
            for c, r in cs:
                fields = {"role": r, "department": c.get("department"), "person": c.get("person")}
                if all(fields[k] == v for k, v in step.items()):
                    ok = True
        covered += ok
    coverage = covered / len(route) if route else None
    # continuity
    n, pd = m.periods, m.period_days
    series = [0] * n
    for a, e, cs in bearing:
        age = (T - d(a["date"])).days
        k = age // pd
        if k < n:
            series[n - 1 - k] += e
    xs = range(n)
    xm = (n - 1) / 2
    ym = sum(series) / n
    den = sum((x - xm) ** 2 for x in xs)
    slope = sum((x - xm) * (y - ym) for x, y in zip(xs, series)) / den if den else 0.0
    last = max((d(a["date"]) for a, e, cs in bearing), default=None)
    days_since = (T - last).days if last else None
    stage = m.stages.get(deal.get("stage"), {})
    stale = stage.get("stale_days", m.stale_days)
    window_start = T - timedelta(n * pd)
    signals = []
    if days_since is None or days_since >= stale:
        signals.append("no_energy")
    h = n // 2
    older, newer = sum(series[:h]), sum(series[n - h:])
    if slope < 0 and newer < older:
        signals.append("declining")
    if top_role:
        seen_in_window = any(r == top_role and d(a["date"]) > window_start
                             for a, e, cs in bearing for c, r in cs)
        if not seen_in_window:
            signals.append("top_role_absent")
    if len(people) == 1:
        signals.append("single_threaded")
    if route and coverage < 0.5 and counted and (T - d(counted[0]["date"])).days >= n * pd:
        signals.append("route_gap")
    # quality
    events = sorted(((ev, i) for i, ev in enumerate(deal.get("quality_events", []))
                     if d(ev["date"]) <= T), key=lambda p: (p[0]["date"], p[1]))
    state = {}
    for ev, _ in events:
        state[ev["indicator"]] = ev["checked"]
    wsum = sum(i.get("weight", 1) for i in m.indicators)
    q = sum(i.get("weight", 1) for i in m.indicators if state.get(i["id"])) / wsum if events else 0.0
    eh, qh = total >= m.thr_e, q >= m.thr_q
    status = {(True, True): "close", (True, False): "qualify",
              (False, True): "engage", (False, False): "review"}[(eh, qh)]
    return {"total": total, "quality": round(q, 3), "status": status, "signals": signals,
            "series": series, "slope": round(slope, 2), "older": older, "newer": newer,
            "top_role": top_role, "coverage": coverage, "people": len(people),
            "days_since": days_since, "stale": stale, "unmapped": sorted(unmapped),
            "activities": len(counted)}


def check() -> int:
    errors: list[str] = []
    m = Model(tomllib.loads(MODEL_PATH.read_text(encoding="utf-8")))
    deals = json.loads((EXAMPLES / "deals.json").read_text(encoding="utf-8"))
    acts = []
    for i, line in enumerate((EXAMPLES / "activities.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        try:
            acts.append(json.loads(line))
        except json.JSONDecodeError as e:
            errors.append(f"activities.jsonl:{i}: {e}")

    def valid_date(s, where):
        try:
            if len(s) != 10 or date.fromisoformat(s).isoformat() != s:
                raise ValueError
        except (ValueError, TypeError):
            errors.append(f"{where}: invalid date {s!r}")

    internal_roles = {r for s in m.stages.values() for r in s["roles"]}
    skills = {k for s in m.stages.values() for k in s["skills"]}
    indicators = {i["id"] for i in m.indicators}
    deal_ids = [x["id"] for x in deals]
    if len(set(deal_ids)) != len(deal_ids):
        errors.append("duplicate deal ids")
    for x in deals:
        w = x["id"]
        if x.get("stage") not in m.stages:
            errors.append(f"{w}: unknown stage {x.get('stage')}")
        for mem in x.get("members", []):
            if mem["role"] not in internal_roles:
                errors.append(f"{w}: member role {mem['role']}")
            for s in mem.get("skills", []):
                if s not in skills:
                    errors.append(f"{w}: skill {s}")
            if mem.get("notify", "all") not in ("all", "digest", "none"):
                errors.append(f"{w}: notify {mem['notify']}")
        for ev in x.get("quality_events", []):
            valid_date(ev["date"], f"{w} quality event")
            if ev["indicator"] not in indicators:
                errors.append(f"{w}: indicator {ev['indicator']}")
            if x.get("maintainer") and ev["by"] != x["maintainer"]:
                errors.append(f"{w}: event by {ev['by']} not maintainer")
        for step in x.get("route", []):
            if "role" in step and step["role"] not in m.roles:
                errors.append(f"{w}: route role {step['role']}")
        if "snoozed_until" in x:
            valid_date(x["snoozed_until"], f"{w} snoozed_until")
    keys_ok = {"id", "deal", "date", "actions", "contacts", "reporter", "note"}
    ids = [a.get("id") for a in acts]
    if len(set(ids)) != len(ids):
        errors.append("duplicate activity ids")
    members = {x["id"]: {mm["user"] for mm in x.get("members", [])} | {x.get("maintainer")} for x in deals}
    for a in acts:
        w = a.get("id")
        if not (keys_ok <= set(a) <= keys_ok | {"attendees"}):
            errors.append(f"{w}: keys {sorted(a)}")
        valid_date(a["date"], w)
        if not ("2026-05-01" <= a["date"] <= AS_OF.isoformat()):
            errors.append(f"{w}: date out of range")
        if a["deal"] not in members:
            errors.append(f"{w}: unknown deal")
        elif a["reporter"] not in members[a["deal"]]:
            errors.append(f"{w}: reporter {a['reporter']} not a member")
        for act in a["actions"]:
            if act not in m.actions:
                errors.append(f"{w}: unknown action {act}")
        for c in a["contacts"]:
            if "role" in c and c["role"] not in m.roles:
                errors.append(f"{w}: unknown role {c['role']}")
    # Q&A knowledge base
    qa_path = EXAMPLES / "qa.jsonl"
    if qa_path.exists():
        qids = []
        for i, line in enumerate(qa_path.read_text(encoding="utf-8").splitlines(), 1):
            try:
                e = json.loads(line)
            except json.JSONDecodeError as ex:
                errors.append(f"qa.jsonl:{i}: {ex}")
                continue
            qids.append(e["id"])
            if set(e) != {"id", "question", "answer", "stages", "tags"}:
                errors.append(f"qa.jsonl:{i}: keys {sorted(e)}")
            for s in e["stages"]:
                if s not in m.stages:
                    errors.append(f"qa.jsonl:{i}: unknown stage {s}")
            if not e["question"].strip() or not e["answer"].strip():
                errors.append(f"qa.jsonl:{i}: empty text")
        if len(set(qids)) != len(qids):
            errors.append("qa.jsonl: duplicate ids")
        print(f"qa.jsonl: {len(qids)} entries")
    # scoring
    by_deal: dict[str, list[dict]] = {}
    for a in acts:
        by_deal.setdefault(a["deal"], []).append(a)
    seen_status, seen_signals = set(), set()
    print(f"{len(deals)} deals, {len(acts)} activities, as of {AS_OF}")
    for x in deals:
        r = score(m, x, by_deal.get(x["id"], []), AS_OF)
        seen_status.add(r["status"])
        seen_signals.update(r["signals"])
        exp = EXPECTED[x["id"]]
        ok = (r["status"], r["signals"]) == exp
        if not ok:
            errors.append(f"{x['id']}: got {r['status']} {r['signals']}, want {exp[0]} {exp[1]}")
        print(f"{'ok ' if ok else 'BAD'} {x['id']} {x['stage']:<17} n={r['activities']:<3} total={r['total']:<4} "
              f"q={r['quality']:<5} {r['status']:<7} {','.join(r['signals']) or '-':<26} "
              f"slope={r['slope']} old/new={r['older']}/{r['newer']} top={r['top_role']} "
              f"cov={r['coverage']} people={r['people']} since={r['days_since']}/{r['stale']} "
              f"unmapped={r['unmapped']}")
        print("     series", r["series"])
    # cross-check with the independent reference implementation when it is present
    oracle_path = ROOT / "vectors" / "tools" / "oracle.py"
    if oracle_path.exists():
        import importlib.util
        spec = importlib.util.spec_from_file_location("dealscore_oracle", oracle_path)
        oracle = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(oracle)
        case = {"op": "score", "deals": deals, "activities": acts, "as_of": AS_OF.isoformat()}
        kind, out = oracle.run_case(case)
        if kind != "ok":
            errors.append(f"oracle: error {out}")
        else:
            for r in out:
                got = (r["status"], [sg["kind"] for sg in r["signals"]])
                if got != EXPECTED.get(r["deal"]):
                    errors.append(f"oracle: {r['deal']} gives {got}, want {EXPECTED.get(r['deal'])}")
            print(f"oracle ({oracle_path.relative_to(ROOT)}): {len(out)} reports checked")
    else:
        print("oracle not found; checked with the built-in computation only")
    for s in ("close", "qualify", "engage", "review"):
        if s not in seen_status:
            errors.append(f"status {s} never appears")
    for s in ("no_energy", "declining", "top_role_absent", "single_threaded", "route_gap"):
        if s not in seen_signals:
            errors.append(f"signal {s} never appears")
    empty = sum(1 for a in acts if not a["actions"])
    print(f"activities with no actions: {empty}; with attendees: {sum('attendees' in a for a in acts)}")
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    if "--check" in sys.argv[1:]:
        sys.exit(check())
    write()
