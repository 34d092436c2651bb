//! `dealscore synth`: deterministic, realistic synthetic deals and activities (same seed, same
//! bytes on every machine) for demos and benchmarks.

use dealscore::{Activity, CompactString, Contact, Date, Deal, Member, Notify, QualityEvent, format_compact};
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
#[derive(Debug)]
pub struct Synth {
    rng: ChaCha8Rng,
    end: Date,
    deals: Vec<Deal>,
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
        Some(Synth { rng, end, deals: list, cumulative, next: 0, total: activities })
    }

    /// Parses the arguments of `dealscore synth`.
    pub fn from_args(args: &SynthArgs) -> Result<Synth, String> {
        let end: Date = args.end.parse().map_err(|e| format!("--end: {e}"))?;
        Synth::new(args.deals, args.activities, args.seed, end)
            .ok_or_else(|| "--activities needs at least one deal".into())
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
        let a = activity(&mut self.rng, self.next, &self.deals[d], d, self.end);
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
