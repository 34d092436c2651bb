//! `dealscore synth`: deterministic, realistic synthetic deals and activities (same seed, same
//! bytes on every machine) for demos and benchmarks.

use dealscore::{Activity, CompactString, Contact, Date, Deal, Member, Notify, Outcome, QualityEvent, format_compact};
use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Options of the generator (also the `dealscore synth` arguments).
#[derive(clap::Args, Debug, Clone)]
pub struct SynthArgs {
    /// Number of deals.
    #[arg(long, default_value_t = 100)]
    pub deals: usize,
    /// Number of activities.
    #[arg(long, default_value_t = 5000)]
    pub activities: usize,
    /// Random seed; the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Date of the newest activity (YYYY-MM-DD); activities span the year before it.
    #[arg(long, default_value = "2026-11-27")]
    end: String,
    /// Write the activities here (JSON Lines) instead of stdout.
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
    /// Also write the deals (a JSON array) here.
    #[arg(long)]
    pub deals_out: Option<std::path::PathBuf>,
    /// Give deals outcomes (won/lost) and close dates drawn from a planted rule: each deal's
    /// activities lead up to its close date, and it is won with probability
    /// 1/(1 + exp(−(E − c)/m)), E its energy 14 days before closing under the planted points
    /// table (`--planted-model-out`), c the median E of the closed deals and m = max(1, c/2).
    #[arg(long)]
    pub outcomes: bool,
    /// With `--outcomes`: write the planted model (TOML) here, to backtest the truth itself.
    #[arg(long, requires = "outcomes")]
    pub planted_model_out: Option<std::path::PathBuf>,
}

/// The planted points of `--outcomes`: the default model with these points, no caps and no
/// per-role overrides, so a backtest of it measures the rule the outcomes were drawn from.
pub const PLANTED_ACTIONS: [(&str, u32); 10] = [
    ("meeting_accepted", 2),
    ("emailed_us", 0),
    ("asked_question", 1),
    ("called_us", 4),
    ("visited_us", 12),
    ("requested_demo", 10),
    ("introduced_boss", 20),
    ("requested_quote", 15),
    ("budget_request", 30),
    ("approval_circular", 40),
];
/// The planted role points (`staff`, `manager`, `director`, `executive`).
pub const PLANTED_ROLES: [(&str, u32); 4] = [("staff", 0), ("manager", 1), ("director", 4), ("executive", 8)];
/// The planted attendee band points, by the default model's bands (2, 4 and 8 attendees).
pub const PLANTED_BANDS: [u32; 3] = [0, 2, 5];
/// Share of deals closed (the rest are open, with an expected close date after `--end`).
const CLOSED_SHARE: f64 = 0.9;
/// The snapshot of the planted rule: days before the close date.
const PLANTED_HORIZON: u32 = 14;

/// The planted model of `--outcomes` (see [`PLANTED_ACTIONS`]).
pub fn planted_model() -> dealscore::Model {
    let mut model: dealscore::Model =
        dealscore::from_toml(dealscore::DEFAULT_MODEL_TOML).expect("the default model parses");
    for a in &mut model.actions {
        a.points = PLANTED_ACTIONS.iter().find(|p| p.0 == a.id).map_or(0, |p| i64::from(p.1));
        a.cap = None;
        a.by_role.clear();
    }
    for r in &mut model.roles {
        r.points = PLANTED_ROLES.iter().find(|p| p.0 == r.id).map_or(0, |p| i64::from(p.1));
    }
    for (b, points) in model.attendee_bands.iter_mut().zip(PLANTED_BANDS) {
        b.points = i64::from(points);
    }
    model
}

const COMPANIES: [&str; 12] = [
    "ミナト",
    "東邦",
    "さくら",
    "北斗",
    "あおば",
    "しらかわ",
    "ことぶき",
    "オリオン",
    "ひかり",
    "やまと",
    "みどり",
    "ふじ",
];
const KINDS: [&str; 8] = ["物流", "精機", "食品", "電機", "建設", "薬品", "銀行", "商事"];
const SURNAMES: [&str; 16] = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
];
const TITLES: [(&str, u32); 9] = [
    ("担当", 30),
    ("主任", 12),
    ("課長", 18),
    ("課長代理", 6),
    ("Manager", 4),
    ("部長", 12),
    ("Director", 3),
    ("取締役", 3),
    ("CEO", 2),
];
const DEPARTMENTS: [&str; 6] = ["情報システム部", "経理部", "総務部", "営業企画部", "購買部", "経営企画室"];
const ACTIONS: [(&str, u32); 10] = [
    ("meeting_accepted", 30),
    ("emailed_us", 28),
    ("asked_question", 20),
    ("called_us", 15),
    ("visited_us", 6),
    ("requested_demo", 5),
    ("introduced_boss", 4),
    ("requested_quote", 4),
    ("budget_request", 2),
    ("approval_circular", 1),
];
const NOTES: [&str; 8] = [
    "定例で進捗確認。次回までに資料を送付する。",
    "お客様から電話で仕様の質問あり。",
    "部長同席で課題をヒアリング。",
    "見積の前提条件について問い合わせ。",
    "デモの日程調整の連絡。",
    "上司の方をご紹介いただいた。",
    "稟議に向けた補足資料の依頼。",
    "メールで導入時期の相談。",
];
const STAGES: [&str; 8] =
    ["first_contact", "hearing", "problem_agreement", "proposal", "quotation", "approval", "won", "onboarding"];
const INDICATORS: [&str; 5] = ["referral", "empathy", "budget_secured", "decision_maker", "competitive_edge"];

fn weighted<'a, R: Rng>(rng: &mut R, items: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = items.iter().map(|i| i.1).sum();
    let mut x = rng.random_range(0..total);
    for &(name, w) in items {
        if x < w {
            return name;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

/// A deterministic generator: the deals, then the activities one at a time.
#[derive(Debug, Clone)]
pub struct Synth {
    rng: ChaCha8Rng,
    end: Date,
    deals: Vec<Deal>,
    /// Per deal, the date its activities lead up to: `end`, or its close date with outcomes.
    ends: Vec<Date>,
    seed: u64,
    cumulative: Vec<f64>,
    next: usize,
    total: usize,
}

impl Synth {
    /// `end` is the date of the newest activity; `None` when `deals` is 0 but activities are asked.
    pub fn new(deals: usize, activities: usize, seed: u64, end: Date) -> Option<Synth> {
        if deals == 0 && activities > 0 {
            return None;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let list: Vec<Deal> = (0..deals).map(|i| deal(&mut rng, i, end)).collect();
        // Deals get a "heat" so a few are busy and many are quiet, as in a real pipeline.
        let mut acc = 0.0;
        let cumulative = (0..deals)
            .map(|_| {
                acc += rng.random_range(0.05f64..1.0).powi(3);
                acc
            })
            .collect();
        let ends = vec![end; deals];
        Some(Synth { rng, end, deals: list, ends, seed, cumulative, next: 0, total: activities })
    }

    /// The generator with outcomes drawn from the planted rule (see [`SynthArgs::outcomes`]).
    /// The activities' draws are the same as without; only their dates lead up to each deal's
    /// close date.
    #[must_use]
    pub fn with_outcomes(mut self) -> Synth {
        // A stream of its own, so the activities' draws do not change.
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ 0x6f75_7463_6f6d_6573);
        let mut closed = Vec::with_capacity(self.deals.len());
        for (deal, end) in self.deals.iter_mut().zip(&mut self.ends) {
            if rng.random_bool(CLOSED_SHARE) {
                let on = self.end.add_days(-rng.random_range(0..=300)).expect("within range");
                (deal.outcome, deal.closed_on, *end) = (Some(Outcome::Lost), Some(on), on);
                closed.push(true);
            } else {
                deal.closed_on = Some(self.end.add_days(rng.random_range(1..=90)).expect("within range"));
                closed.push(false);
            }
        }
        // The planted energy of each deal at its snapshot, scored by the core itself.
        let planted = dealscore::ModelSet::single(planted_model()).expect("the planted model is valid");
        let options = dealscore::BacktestOptions { horizon_days: Some(PLANTED_HORIZON), ..Default::default() };
        let mut bt =
            dealscore::Backtester::new(&planted, self.deals.clone(), &options).expect("synthetic deals are valid");
        for a in self.clone() {
            bt.push(&a).expect("synthetic activities are valid");
        }
        // Rows come by deal id, which is index order (`S-000000`, …).
        let energy: Vec<f64> = bt.finish().rows.iter().map(|r| r.energy as f64).collect();
        let mut sorted = energy.clone();
        sorted.sort_by(f64::total_cmp);
        let c = sorted.get(sorted.len().saturating_sub(1) / 2).copied().unwrap_or(0.0);
        let m = (c / 2.0).max(1.0);
        let mut energy = energy.into_iter();
        for (deal, &was_closed) in self.deals.iter_mut().zip(&closed) {
            if was_closed {
                let e = energy.next().expect("a row per closed deal");
                let p = 1.0 / (1.0 + libm::exp(-(e - c) / m));
                let won = rng.random_range(0.0..1.0) < p;
                deal.outcome = Some(if won { Outcome::Won } else { Outcome::Lost });
            }
        }
        self
    }

    /// Parses the arguments of `dealscore synth`.
    pub fn from_args(args: &SynthArgs) -> Result<Synth, String> {
        let end: Date = args.end.parse().map_err(|e| format!("--end: {e}"))?;
        let synth = Synth::new(args.deals, args.activities, args.seed, end)
            .ok_or_else(|| "--activities needs at least one deal".to_owned())?;
        Ok(if args.outcomes { synth.with_outcomes() } else { synth })
    }

    pub fn deals(&self) -> &[Deal] {
        &self.deals
    }
}

impl Iterator for Synth {
    type Item = Activity;

    fn next(&mut self) -> Option<Activity> {
        if self.next == self.total {
            return None;
        }
        let total_heat = self.cumulative.last().copied().unwrap_or(1.0);
        let x = self.rng.random_range(0.0..total_heat);
        let d = self.cumulative.partition_point(|&c| c <= x).min(self.deals.len() - 1);
        let a = activity(&mut self.rng, self.next, &self.deals[d], d, self.ends[d]);
        self.next += 1;
        Some(a)
    }
}

fn deal<R: Rng>(rng: &mut R, i: usize, end: Date) -> Deal {
    let reps = [format!("rep{:03}", i % 97), format!("se{:03}", i % 31)];
    let manager = format!("mgr{:02}", i % 13);
    let members = vec![
        Member {
            user: reps[0].clone(),
            role: Some("sales".into()),
            skills: vec!["hearing".into()],
            notify: Notify::All,
        },
        Member {
            user: reps[1].clone(),
            role: Some("presales".into()),
            skills: vec!["solution_design".into(), "presentation".into()],
            notify: Notify::Digest,
        },
        Member {
            user: manager.clone(),
            role: Some("sales_manager".into()),
            skills: vec!["pricing".into(), "ringi_support".into()],
            notify: Notify::All,
        },
    ];
    let events = (0..rng.random_range(0..4usize))
        .map(|_| QualityEvent {
            indicator: INDICATORS[rng.random_range(0..INDICATORS.len())].into(),
            checked: rng.random_bool(0.8),
            by: manager.clone(),
            date: end.add_days(-rng.random_range(0..120)).expect("within range"),
            reason: None,
        })
        .collect();
    Deal {
        id: format!("S-{i:06}"),
        customer: Some(format!(
            "株式会社{}{}",
            COMPANIES[rng.random_range(0..COMPANIES.len())],
            KINDS[rng.random_range(0..KINDS.len())]
        )),
        stage: Some(STAGES[rng.random_range(0..STAGES.len())].into()),
        members,
        maintainer: Some(manager),
        quality_events: events,
        ..Deal::default()
    }
}

fn activity<R: Rng>(rng: &mut R, i: usize, deal: &Deal, d: usize, end: Date) -> Activity {
    // Recent activity is more common than old.
    let age = (rng.random_range(0.0f64..1.0).powi(2) * 365.0) as i32;
    let mut actions: Vec<CompactString> =
        (0..rng.random_range(0..=2usize)).map(|_| weighted(rng, &ACTIONS).into()).collect();
    actions.dedup();
    let n = rng.random_range(1..=3usize);
    let contacts = (0..n)
        .map(|_| {
            // Each deal has its own small cast of people.
            let who = (d * 7 + rng.random_range(0..5usize)) % SURNAMES.len();
            Contact {
                person: Some(format_compact!("{}{}", SURNAMES[who], d % 100)),
                title: Some(weighted(rng, &TITLES).into()),
                department: Some(DEPARTMENTS[(who + d) % DEPARTMENTS.len()].into()),
                role: None,
            }
        })
        .collect();
    Activity {
        id: format_compact!("A-{i:08}"),
        deal: deal.id.as_str().into(),
        date: end.add_days(-age).expect("within range"),
        actions,
        contacts,
        attendees: rng.random_bool(0.2).then(|| rng.random_range(1..10)),
        reporter: Some(deal.members[rng.random_range(0..2usize)].user.as_str().into()),
        note: Some(NOTES[rng.random_range(0..NOTES.len())].to_owned()),
    }
}
