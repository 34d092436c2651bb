//! Properties of scoring over random activities, checked against a naive (date, id)-ordered
//! reference fold written here from the model description.

use std::collections::{BTreeMap, BTreeSet};

use dealscore::columns::ActivityCodes;
use dealscore::{
    Activity, ActivityRef, BatchScorer, CompactString, Contact, ContactRef, Date, Deal, DealReport, ModelSet, Scorer,
    StreamScorer, explain, format_compact, score_all,
};
use proptest::prelude::*;

/// Small model whose role points are mostly zero, so many activities earn energy only through
/// capped actions (the hardest case for the order-independent accumulator).
const MODEL: &str = r#"
schema = 1
[continuity]
period_days = 5
periods = 4
[status]
energy_threshold = 20
quality_threshold = 0.5
[[actions]]
id = "a0"
label = "zero-cap"
points = 5
[[actions]]
id = "a1"
label = "capped"
points = 3
cap = 7
[[actions]]
id = "a2"
label = "capped by role"
points = 4
cap = 4
by_role = { r1 = 0, r2 = 9 }
[[actions]]
id = "a3"
label = "free"
points = 0
cap = 10
[[roles]]
id = "r0"
label = "staff"
rank = 1
points = 0
[[roles]]
id = "r1"
label = "manager"
rank = 2
points = 0
aliases = ["Boss"]
[[roles]]
id = "r2"
label = "exec"
rank = 3
points = 2
[[attendee_bands]]
min = 3
points = 1
[[default_route]]
role = "r1"
[[default_route]]
department = "B"
"#;

fn models() -> ModelSet {
    ModelSet::from_toml(MODEL).unwrap()
}

fn day(n: i32) -> Date {
    "2026-01-01".parse::<Date>().unwrap().add_days(n).unwrap()
}

fn contact() -> impl Strategy<Value = Contact> {
    (
        prop::option::of(prop::sample::select(vec!["p1", "p2", "p3", "p4"])),
        0..5usize,
        prop::option::of(prop::sample::select(vec!["A", "B"])),
    )
        .prop_map(|(person, how, dept)| {
            let (role, title) = match how {
                0 => (Some("r0"), None),
                1 => (Some("r1"), None),
                2 => (Some("r2"), None),
                3 => (None, Some("boss")),
                _ => (None, Some("intern")),
            };
            Contact {
                person: person.map(Into::into),
                role: role.map(Into::into),
                title: title.map(Into::into),
                department: dept.map(Into::into),
            }
        })
}

fn activity() -> impl Strategy<Value = (usize, i32, Vec<usize>, Vec<Contact>, Option<u32>, usize)> {
    (
        0..3usize,
        0..40i32,
        prop::collection::vec(0..4usize, 0..4),
        prop::collection::vec(contact(), 0..4),
        prop::option::of(0..5u32),
        0..3usize,
    )
}

fn activities() -> impl Strategy<Value = Vec<Activity>> {
    prop::collection::vec(activity(), 0..40).prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            .map(|(i, (deal, d, actions, contacts, attendees, rep))| Activity {
                // Ids that do not sort like their index, so (date, id) ties are exercised.
                id: format_compact!("x{}", (i * 7919) % 1000),
                deal: format_compact!("d{deal}"),
                date: day(d),
                actions: actions.into_iter().map(|a| format_compact!("a{a}")).collect(),
                contacts,
                attendees,
                reporter: Some(format_compact!("u{rep}")),
                note: None,
            })
            .collect()
    })
}

/// What the naive reference computes for one deal.
#[derive(Debug, PartialEq)]
struct Naive {
    total: u64,
    by_action: BTreeMap<CompactString, u64>,
    by_role: BTreeMap<CompactString, u64>,
    by_reporter: BTreeMap<CompactString, u64>,
    people: Vec<CompactString>,
    departments: Vec<CompactString>,
    series: Vec<u64>,
    days_since_last: Option<u32>,
}

fn naive(acts: &[&Activity], as_of: Date) -> Naive {
    let role_of = |c: &Contact| -> Option<(&str, i64, u64)> {
        let id = c.role.as_deref().or(match c.title.as_deref() {
            Some("boss") => Some("r1"),
            _ => None,
        })?;
        Some(match id {
            "r0" => ("r0", 1, 0),
            "r1" => ("r1", 2, 0),
            _ => ("r2", 3, 2),
        })
    };
    let mut sorted: Vec<&&Activity> = acts.iter().filter(|a| a.date <= as_of).collect();
    sorted.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let mut used = [0u64; 4];
    let caps = [None, Some(7), Some(4), Some(10)];
    let mut out = Naive {
        total: 0,
        by_action: BTreeMap::new(),
        by_role: BTreeMap::new(),
        by_reporter: BTreeMap::new(),
        people: vec![],
        departments: vec![],
        series: vec![0; 4],
        days_since_last: None,
    };
    let (mut people, mut depts) = (BTreeSet::new(), BTreeSet::new());
    for a in sorted {
        let top = a.contacts.iter().filter_map(role_of).max_by_key(|r| r.1);
        let mut e = top.map_or(0, |t| t.2);
        let attendees = a.attendees.unwrap_or(a.contacts.len() as u32);
        if attendees >= 3 {
            e += 1;
        }
        let mut seen = BTreeSet::new();
        for id in &a.actions {
            if !seen.insert(id) {
                continue;
            }
            let i: usize = id[1..].parse().unwrap();
            let mut points = [5u64, 3, 4, 0][i];
            if i == 2 {
                match top.map(|t| t.0) {
                    Some("r1") => points = 0,
                    Some("r2") => points = 9,
                    _ => {}
                }
            }
            let got = caps[i].map_or(points, |c: u64| points.min(c - used[i]));
            used[i] += got;
            *out.by_action.entry(id.clone()).or_insert(0) += got;
            e += got;
        }
        out.total += e;
        if let Some(t) = top {
            *out.by_role.entry(t.0.into()).or_insert(0) += e;
        }
        *out.by_reporter.entry(a.reporter.clone().unwrap()).or_insert(0) += e;
        let since = as_of.days_after(a.date);
        if (since / 5) < 4 {
            out.series[3 - (since / 5) as usize] += e;
        }
        if e > 0 {
            out.days_since_last = Some(since as u32);
            for c in &a.contacts {
                people.extend(c.person.clone());
                depts.extend(c.department.clone());
            }
        }
    }
    out.people = people.into_iter().collect();
    out.departments = depts.into_iter().collect();
    out
}

/// `acts` with one bad activity at `at` (fault 0–3: an unknown action, a repeated id, an empty
/// deal id, an unknown role), or as they are (other faults).
fn with_fault(mut acts: Vec<Activity>, fault: usize, at: usize) -> Vec<Activity> {
    if !acts.is_empty() {
        let at = at % acts.len();
        match fault {
            0 => acts[at].actions.push("no_such_action".into()),
            1 => {
                let first = acts[0].id.clone();
                acts[at].id = first;
            }
            2 => acts[at].deal = CompactString::default(),
            3 => acts[at].contacts.push(Contact { role: Some("no_such_role".into()), ..Contact::default() }),
            _ => {}
        }
    }
    acts
}

/// Columns built row by row, for `any_columns_score_as_the_activities_they_spell`.
#[derive(Default)]
struct Owned {
    ids: String,
    id_offsets: Vec<u32>,
    deal: Vec<u32>,
    date: Vec<Date>,
    action_offsets: Vec<u32>,
    actions: Vec<u32>,
    contact_offsets: Vec<u32>,
    person: Vec<u32>,
    role: Vec<u32>,
    title: Vec<u32>,
    department: Vec<u32>,
    reporter: Vec<u32>,
}

impl Owned {
    fn view<'a>(&'a mut self, strings: &'a [&'a str]) -> dealscore::columns::ActivityColumns<'a> {
        for offsets in [&mut self.id_offsets, &mut self.action_offsets, &mut self.contact_offsets] {
            offsets.insert(0, 0);
        }
        dealscore::columns::ActivityColumns {
            strings,
            ids: dealscore::columns::Texts { offsets: &self.id_offsets, text: &self.ids },
            deal: &self.deal,
            date: &self.date,
            action_offsets: &self.action_offsets,
            actions: &self.actions,
            contact_offsets: &self.contact_offsets,
            person: &self.person,
            role: &self.role,
            title: &self.title,
            department: &self.department,
            attendees: &[],
            reporter: &self.reporter,
        }
    }
}

/// Both scorings gave the same reports, or both the same error.
fn same_outcome(
    a: &dealscore::Result<Vec<DealReport>>,
    b: &dealscore::Result<Vec<DealReport>>,
) -> Result<(), TestCaseError> {
    match (a, b) {
        (Ok(a), Ok(b)) => prop_assert_eq!(json(a), json(b)),
        (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
        (a, b) => prop_assert!(false, "one gave {:?}, the other {:?}", a.as_ref().map(|_| ()), b.as_ref().map(|_| ())),
    }
    Ok(())
}

/// Pushes `acts` from two threads at once, each its half in blocks of `block`; the first
/// thread's error, else the second's, else `Ok`.
#[cfg(feature = "parallel")]
fn push_from_two_threads(
    acts: &[Activity],
    block: usize,
    push: impl Fn(&[Activity]) -> dealscore::Result<()> + Sync,
) -> dealscore::Result<()> {
    std::thread::scope(|s| {
        let handles: Vec<_> = acts
            .chunks(acts.len().div_ceil(2).max(1))
            .map(|half| {
                let push = &push;
                s.spawn(move || half.chunks(block).try_for_each(push))
            })
            .collect();
        let results: Vec<dealscore::Result<()>> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        results.into_iter().collect()
    })
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn accumulator_matches_naive_fold(acts in activities(), t in 0..45i32) {
        let as_of = day(t);
        let reports = score_all(&models(), &[], &acts, as_of).unwrap();
        for r in &reports {
            let mine: Vec<&Activity> = acts.iter().filter(|a| a.deal == r.deal).collect();
            let n = naive(&mine, as_of);
            let got = Naive {
                total: r.energy.total,
                by_action: r.energy.by_action.clone(),
                by_role: r.energy.by_role.clone(),
                by_reporter: r.energy.by_reporter.clone(),
                people: r.breadth.people.clone(),
                departments: r.breadth.departments.clone(),
                series: r.continuity.series.clone(),
                days_since_last: r.continuity.days_since_last,
            };
            prop_assert_eq!(got, n);
        }
    }

    /// `on_report` folds the history once and adds the report to a copy of the accumulator: its
    /// before and after are the deal's `score_all` reports without and with the report, and its
    /// changes say no more than those two reports differ by.
    #[test]
    fn on_report_is_score_all_without_and_with_the_report(acts in activities(), t in 0..45i32) {
        let as_of = day(t);
        let Some((report, history)) = acts.split_last() else { return Ok(()) };
        let deal = Deal::bare(report.deal.as_str());
        let notice = dealscore::on_report(&models(), &deal, history, report, as_of).unwrap();
        let of = |acts: &[Activity]| {
            score_all(&models(), std::slice::from_ref(&deal), acts, as_of).unwrap().into_iter().find(|r| r.deal == report.deal).unwrap()
        };
        let (before, after) = (of(history), of(&acts));
        prop_assert_eq!((notice.before.total, notice.before.status.as_str()), (before.energy.total, before.status.as_str()));
        prop_assert_eq!((notice.after.total, notice.after.status.as_str()), (after.energy.total, after.status.as_str()));
        let kinds: Vec<&str> = notice.changes.iter().map(|c| c.text().split([' ', ':']).next().unwrap()).collect();
        prop_assert_eq!(kinds.contains(&"energy"), before.energy.total != after.energy.total);
        prop_assert_eq!(
            notice.changes.iter().any(|c| matches!(c, dealscore::Change::TopRole { .. })),
            before.breadth.top_role != after.breadth.top_role
        );
    }

    #[test]
    fn order_does_not_matter(acts in activities(), seed in any::<u64>()) {
        let as_of = day(30);
        let mut shuffled = acts.clone();
        // Deterministic Fisher–Yates from the seed.
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let a = json(&score_all(&models(), &[], &acts, as_of).unwrap());
        let b = json(&score_all(&models(), &[], &shuffled, as_of).unwrap());
        prop_assert_eq!(a, b);
    }

    #[test]
    fn scorer_equals_score_all(acts in activities(), t in 0..45i32) {
        let as_of = day(t);
        let deals = vec![Deal { id: "d0".into(), ..Deal::default() }, Deal::bare("zz")];
        let mut scorer = Scorer::new(models(), deals.clone()).unwrap();
        for a in acts.iter().rev() {
            scorer.add(a.clone()).unwrap();
        }
        prop_assert_eq!(json(&scorer.report_all(as_of).unwrap()), json(&score_all(&models(), &deals, &acts, as_of).unwrap()));
    }

    /// `score_all` resolves the whole slice before folding; streaming folds each push at once.
    /// They agree on every report and, on bad input, on the error (the first in input order).
    #[test]
    fn streaming_equals_score_all(acts in activities(), t in 0..45i32, fault in 0..6usize, at in 0..40usize) {
        let as_of = day(t);
        let deals = vec![Deal { id: "d1".into(), ..Deal::default() }];
        let acts = with_fault(acts, fault, at);
        let streamed = (|| {
            let mut s = StreamScorer::new(&models(), deals.clone(), as_of)?;
            for a in &acts {
                s.push(a)?;
            }
            s.finish()
        })();
        let batch = score_all(&models(), &deals, &acts, as_of);
        same_outcome(&streamed, &batch)?;
    }

    /// Scoring on several threads (deals split by a hash of their id) gives the same reports and,
    /// on bad input, the same error — including an id repeated across deals of different parts.
    #[cfg(feature = "parallel")]
    #[test]
    fn parallel_equals_score_all(
        acts in activities(), t in 0..45i32, fault in 0..6usize, at in 0..40usize, threads in 1..5usize,
    ) {
        let as_of = day(t);
        let deals = vec![Deal { id: "d1".into(), ..Deal::default() }, Deal { id: "d9".into(), ..Deal::default() }];
        let acts = with_fault(acts, fault, at);
        let threads = std::num::NonZeroUsize::new(threads).unwrap();
        let parallel = dealscore::score_all_parallel(&models(), &deals, &acts, as_of, threads);
        same_outcome(&parallel, &score_all(&models(), &deals, &acts, as_of))?;
    }

    /// Pushing from two threads at once into a `SharedStream` (deals split into `parts`, blocks
    /// of random size) gives the same reports and, with one bad activity (an id repeated across
    /// deals of different parts included), the same error.
    #[cfg(feature = "parallel")]
    #[test]
    fn shared_stream_equals_score_all(
        acts in activities(), t in 0..45i32, fault in 0..6usize, at in 0..40usize, parts in 1..5usize, block in 1..8usize,
    ) {
        use dealscore::parallel::SharedStream;
        let as_of = day(t);
        let deals = vec![Deal { id: "d1".into(), ..Deal::default() }, Deal { id: "d9".into(), ..Deal::default() }];
        let acts = with_fault(acts, fault, at);
        let parts = std::num::NonZeroUsize::new(parts).unwrap();
        let shared = SharedStream::new(&models(), &deals, as_of, parts).unwrap();
        let outcome = push_from_two_threads(&acts, block, |b| shared.push(b)).and_then(|()| shared.finish());
        same_outcome(&outcome, &score_all(&models(), &deals, &acts, as_of))?;
    }

    /// Activities coded as columns score, and fail, exactly as the activities themselves: the
    /// same reports, or the error of the same first bad activity.
    #[test]
    fn columns_equal_score_all(acts in activities(), t in 0..45i32, fault in 0..6usize, at in 0..40usize) {
        let as_of = day(t);
        let deals = vec![Deal { id: "d1".into(), ..Deal::default() }];
        let acts = with_fault(acts, fault, at);
        let codes = ActivityCodes::encode(&acts);
        let columns = dealscore::score_columns(&models(), &deals, &codes.columns(), as_of);
        same_outcome(&columns, &score_all(&models(), &deals, &acts, as_of))?;
    }

    /// Any columns either are refused by `check` (an `invalid_input` naming a column, never a
    /// panic) or score, and fail, exactly as the activities they spell, whatever their codes
    /// point at: unknown actions and roles, empty or repeated ids, empty deal names.
    #[test]
    fn any_columns_score_as_the_activities_they_spell(
        rows in prop::collection::vec(
            (0..4usize, 0..3usize, prop::collection::vec(0..20u32, 0..3), prop::collection::vec(prop::collection::vec(0..21u32, 4), 0..3), 0..30i32, 0..3u32),
            0..12,
        ),
        t in 0..35i32,
        off in prop::option::of((0..40usize, 0..4u32)),
    ) {
        const STRINGS: [&str; 18] = [
            "d0", "d1", "", "a0", "a1", "a2", "a3", "no_such", "r0", "r1", "r2", "boss", "intern", "p1", "p2", "A", "B", "u0",
        ];
        // Codes 18 and 19 are past the table; 20 stands for null.
        let code = |c: u32| if c == 20 { dealscore::columns::NULL } else { c };
        let mut cols = Owned::default();
        for (i, (id, deal, actions, contacts, d, reporter)) in rows.iter().enumerate() {
            cols.ids.push_str(["x", "y", "", "x"][*id].repeat(1 + i % 2).as_str());
            cols.id_offsets.push(cols.ids.len() as u32);
            cols.deal.push([0, 1, 2][*deal]);
            cols.date.push(day(*d));
            cols.actions.extend(actions.iter().map(|&a| [3, 4, 5, 6, 7, 18][a as usize % 6]));
            cols.action_offsets.push(cols.actions.len() as u32);
            for c in contacts {
                cols.person.push(code(c[0]));
                cols.role.push(if c[1] % 3 == 0 { code(c[1]) } else { dealscore::columns::NULL });
                cols.title.push(code(c[2]));
                cols.department.push(code(c[3]));
            }
            cols.contact_offsets.push(cols.person.len() as u32);
            cols.reporter.push(if *reporter == 2 { dealscore::columns::NULL } else { 17 });
        }
        // Now and then one offset or code is spoilt.
        if let Some((at, what)) = off {
            match what {
                0 if !cols.actions.is_empty() => { let n = cols.actions.len(); cols.actions[at % n] = 99; }
                1 if !rows.is_empty() => { let n = cols.action_offsets.len(); cols.action_offsets[at % n] += 1; }
                2 if !rows.is_empty() => { let n = cols.id_offsets.len(); cols.id_offsets[at % n] = 1000; }
                3 => { cols.deal.push(0); }
                _ => {}
            }
        }
        let columns = cols.view(&STRINGS);
        let as_of = day(t);
        let got = dealscore::score_columns(&models(), &[], &columns, as_of);
        match columns.check() {
            Err(e) => {
                prop_assert_eq!(e.code(), "invalid_input");
                prop_assert!(e.to_string().contains("columns."), "{}", e);
                prop_assert_eq!(got.map(|_| ()).unwrap_err().to_string(), e.to_string());
            }
            Ok(n) => {
                let text = |c: u32| (c != dealscore::columns::NULL).then(|| CompactString::from(STRINGS[c as usize]));
                let acts: Vec<Activity> = (0..n)
                    .map(|i| {
                        let span = |o: &[u32]| o[i] as usize..o[i + 1] as usize;
                        Activity {
                            id: columns.ids.text[span(columns.ids.offsets)].into(),
                            deal: STRINGS[columns.deal[i] as usize].into(),
                            date: columns.date[i],
                            actions: columns.actions[span(columns.action_offsets)].iter().map(|&a| STRINGS[a as usize].into()).collect(),
                            contacts: span(columns.contact_offsets)
                                .map(|j| Contact {
                                    person: text(columns.person[j]),
                                    role: text(columns.role[j]),
                                    title: text(columns.title[j]),
                                    department: text(columns.department[j]),
                                })
                                .collect(),
                            attendees: None,
                            reporter: text(columns.reporter[i]),
                            note: None,
                        }
                    })
                    .collect();
                same_outcome(&got, &score_all(&models(), &[], &acts, as_of))?;
            }
        }
    }

    /// A borrowed activity scores, and fails, exactly as the owned one with the same fields.
    #[test]
    fn push_ref_equals_push(acts in activities(), t in 0..45i32, fault in 0..6usize, at in 0..40usize) {
        let as_of = day(t);
        let acts = with_fault(acts, fault, at);
        let run = |borrowed: bool| -> Result<String, String> {
            let mut batch = BatchScorer::new(&models(), vec![], as_of).map_err(|e| e.to_string())?;
            for a in &acts {
                let pushed = if borrowed {
                    let actions: Vec<&str> = a.actions.iter().map(CompactString::as_str).collect();
                    let contacts: Vec<ContactRef<'_>> = a.contacts.iter().map(ContactRef::from).collect();
                    batch.push_ref(&ActivityRef {
                        id: &a.id,
                        deal: &a.deal,
                        date: a.date,
                        actions: &actions,
                        contacts: &contacts,
                        attendees: a.attendees,
                        reporter: a.reporter.as_deref(),
                    })
                } else {
                    batch.push(a)
                };
                pushed.map_err(|e| e.to_string())?;
            }
            batch.finish().map(|r| json(&r)).map_err(|e| e.to_string())
        };
        prop_assert_eq!(run(true), run(false));
    }

    /// Skipping the activities a push rejects (as `--skip-invalid` does) leaves both scorers as if
    /// those activities never existed: no trace of a deal only they named.
    #[test]
    fn rejected_pushes_leave_no_trace(acts in activities(), t in 0..45i32, bad in prop::collection::vec(0..40usize, 0..4)) {
        let as_of = day(t);
        let mut acts = acts;
        for &b in &bad {
            if let Some(a) = acts.get_mut(b % 40) {
                a.actions.push("no_such_action".into());
                a.deal = format_compact!("only-bad-{}", a.deal);
            }
        }
        let good: Vec<Activity> = acts.iter().filter(|a| !a.deal.starts_with("only-bad-")).cloned().collect();
        let mut stream = StreamScorer::new(&models(), vec![], as_of).unwrap();
        let mut batch = BatchScorer::new(&models(), vec![], as_of).unwrap();
        for a in &acts {
            prop_assert_eq!(stream.push(a).is_ok(), batch.push(a).is_ok());
        }
        let expect = json(&score_all(&models(), &[], &good, as_of).unwrap());
        prop_assert_eq!(json(&stream.finish().unwrap()), expect.clone());
        prop_assert_eq!(json(&batch.finish().unwrap()), expect);
    }

    #[test]
    fn adding_an_activity_never_lowers_a_total(acts in activities(), extra in activity()) {
        let as_of = day(50);
        let before = score_all(&models(), &[], &acts, as_of).unwrap();
        let mut more = acts.clone();
        let (deal, d, actions, contacts, attendees, _) = extra;
        more.push(Activity {
            id: "extra".into(), deal: format_compact!("d{deal}"), date: day(d),
            actions: actions.into_iter().map(|a| format_compact!("a{a}")).collect(),
            contacts, attendees, reporter: None, note: None,
        });
        let after = score_all(&models(), &[], &more, as_of).unwrap();
        for b in &before {
            let a = after.iter().find(|a| a.deal == b.deal).unwrap();
            prop_assert!(a.energy.total >= b.energy.total);
        }
    }

    #[test]
    fn explanations_sum_to_energy(acts in activities()) {
        let as_of = day(50);
        let reports = score_all(&models(), &[], &acts, as_of).unwrap();
        let explained = explain(&models(), &[], &acts, as_of).unwrap();
        for r in &reports {
            let sum: u64 = explained.iter().filter(|e| e.deal == r.deal).map(|e| e.energy).sum();
            prop_assert_eq!(sum, r.energy.total);
        }
        for e in &explained {
            prop_assert_eq!(e.items.iter().map(|i| i.points).sum::<u64>(), e.energy);
        }
    }

    #[test]
    fn replace_and_remove_match_a_fresh_scorer(acts in activities(), drop in 0..40usize) {
        prop_assume!(!acts.is_empty());
        let as_of = day(50);
        let drop = drop % acts.len();
        let mut scorer = Scorer::new(models(), vec![]).unwrap();
        for a in &acts {
            scorer.add(a.clone()).unwrap();
        }
        let removed = scorer.remove(&acts[drop].id).unwrap();
        prop_assert_eq!(&removed, &acts[drop]);
        let mut rest = acts.clone();
        rest.remove(drop);
        let mut expect = score_all(&models(), &[], &rest, as_of).unwrap();
        // A deal left with no activities and no record disappears from the scorer.
        expect.retain(|r| rest.iter().any(|a| a.deal == r.deal));
        prop_assert_eq!(json(&scorer.report_all(as_of).unwrap()), json(&expect));
    }

    #[test]
    fn reports_round_trip_through_json(acts in activities()) {
        let reports = score_all(&models(), &[], &acts, day(30)).unwrap();
        let text = json(&reports);
        let back: Vec<dealscore::DealReport> = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(json(&back), text);
    }
}

/// Closed deals for the activities' deals (`d0`..`d2`) and for `extra` deals without activities.
fn closed_deals() -> impl Strategy<Value = Vec<Deal>> {
    (
        prop::collection::vec((any::<bool>(), 0..60i32, any::<bool>()), 3),
        prop::collection::vec((any::<bool>(), 0..60i32), 0..8),
    )
        .prop_map(|(ours, extra)| {
            let deal = |id: String, won: bool, closed: i32| Deal {
                outcome: Some(if won { dealscore::Outcome::Won } else { dealscore::Outcome::Lost }),
                closed_on: Some(day(closed)),
                ..Deal::bare(id)
            };
            let mut deals: Vec<Deal> = ours
                .into_iter()
                .enumerate()
                // Some deals stay open: they are never in the population.
                .map(|(i, (won, closed, open))| {
                    if open {
                        Deal { closed_on: Some(day(closed)), ..Deal::bare(format!("d{i}")) }
                    } else {
                        deal(format!("d{i}"), won, closed)
                    }
                })
                .collect();
            deals.extend(extra.into_iter().enumerate().map(|(i, (won, closed))| deal(format!("e{i}"), won, closed)));
            deals
        })
}

fn backtest_options() -> impl Strategy<Value = dealscore::BacktestOptions> {
    (prop::option::of(0..30u32), prop::option::of(0..50i32), 1..12u32).prop_map(|(h, t, bins)| {
        dealscore::BacktestOptions {
            horizon_days: if t.is_some() { None } else { h },
            as_of: t.map(day),
            bins: Some(bins),
        }
    })
}

fn fits(b: &dealscore::Backtest) -> Vec<&dealscore::ScoreFit> {
    let s = &b.scores;
    [Some(&s.energy), Some(&s.decayed), Some(&s.breadth), Some(&s.continuity), s.quality.as_ref()]
        .into_iter()
        .flatten()
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// AUC is a probability; swapping won and lost turns it into 1 − AUC; the lift groups cut the
    /// population into the contract's sizes, highest scores first.
    #[test]
    fn backtest_auc_and_lift_hold_their_laws(acts in activities(), deals in closed_deals(), options in backtest_options()) {
        let b = dealscore::backtest(&models(), &deals, &acts, &options).unwrap();
        let swapped_deals: Vec<Deal> = deals
            .iter()
            .map(|d| Deal {
                outcome: d.outcome.map(|o| match o {
                    dealscore::Outcome::Won => dealscore::Outcome::Lost,
                    dealscore::Outcome::Lost => dealscore::Outcome::Won,
                }),
                ..d.clone()
            })
            .collect();
        let swapped = dealscore::backtest(&models(), &swapped_deals, &acts, &options).unwrap();
        prop_assert_eq!(b.deals, b.won + b.lost);
        prop_assert_eq!(b.rows.len(), b.deals as usize);
        let bins = options.bins.unwrap() as usize;
        for (fit, other) in fits(&b).into_iter().zip(fits(&swapped)) {
            match (fit.auc, other.auc) {
                (Some(a), Some(o)) => {
                    prop_assert!((0.0..=1.0).contains(&a));
                    prop_assert!((a + o - 1.0).abs() < 1e-12, "{} + {} != 1", a, o);
                }
                (None, None) => prop_assert!(b.won == 0 || b.lost == 0),
                other => prop_assert!(false, "one AUC null, the other not: {:?}", other),
            }
            let n = b.deals as usize;
            let sizes: Vec<usize> = fit.lift.iter().map(|g| g.deals as usize).collect();
            let want: Vec<usize> = (0..bins).map(|g| n / bins + usize::from(g < n % bins)).filter(|&k| k > 0).collect();
            prop_assert_eq!(sizes, want);
            prop_assert_eq!(fit.lift.iter().map(|g| g.won).sum::<u32>(), b.won);
            for pair in fit.lift.windows(2) {
                prop_assert!(pair[0].min.as_f64() >= pair[1].max.as_f64());
            }
            if b.won > 0 {
                prop_assert_eq!(fit.lift.last().and_then(|g| g.won_share), Some(1.0));
            }
        }
    }

    /// The streaming backtest gives the batch's result.
    #[test]
    fn backtester_equals_backtest(acts in activities(), deals in closed_deals(), options in backtest_options()) {
        let batch = dealscore::backtest(&models(), &deals, &acts, &options);
        let mut stream = dealscore::Backtester::new(&models(), deals.clone(), &options).unwrap();
        let pushed = acts.iter().try_for_each(|a| stream.push(a));
        prop_assert_eq!(pushed.map(|()| stream.finish()), batch);
    }

    /// Two threads pushing blocks into a `SharedBacktester` give `backtest`'s result.
    #[cfg(feature = "parallel")]
    #[test]
    fn shared_backtester_equals_backtest(
        acts in activities(), deals in closed_deals(), options in backtest_options(), parts in 1..4usize, block in 1..6usize,
    ) {
        let batch = dealscore::backtest(&models(), &deals, &acts, &options);
        let parts = std::num::NonZeroUsize::new(parts).unwrap();
        let shared = dealscore::parallel::SharedBacktester::new(&models(), &deals, &options, parts).unwrap();
        let pushed = push_from_two_threads(&acts, block, |b| shared.push(b));
        prop_assert_eq!(pushed.and_then(|()| shared.finish()), batch);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The fitted model is a model whose backtest on the training deals gives exactly the fit's
    /// `train.auc_fitted` (OUTCOMES.md §4): its energy is the learned sum, nothing else.
    #[test]
    fn backtesting_the_fitted_model_reproduces_its_train_auc(acts in activities(), deals in closed_deals()) {
        let options = dealscore::FitOptions { horizon_days: Some(3), max_points: Some(5), ..Default::default() };
        let Ok(fit) = dealscore::fit(&models(), &deals, &acts, &options) else {
            // One-class training data is refused; nothing else may be.
            let mut closed: Vec<&Deal> = deals.iter().filter(|d| d.outcome.is_some()).collect();
            closed.sort_by_key(|d| (d.closed_on, d.id.clone()));
            let train = &closed[..closed.len() - closed.len().div_ceil(5)];
            prop_assert!(train.iter().all(|d| d.outcome == train[0].outcome) || train.is_empty());
            return Ok(());
        };
        let fitted = ModelSet::single(fit.model.clone()).unwrap();
        let mut closed: Vec<Deal> = deals.iter().filter(|d| d.outcome.is_some()).cloned().collect();
        closed.sort_by_key(|d| (d.closed_on, d.id.clone()));
        let train: Vec<Deal> = closed[..closed.len() - closed.len().div_ceil(5)].to_vec();
        let bt = dealscore::backtest(&fitted, &train, &acts, &dealscore::BacktestOptions { horizon_days: Some(3), ..Default::default() }).unwrap();
        prop_assert_eq!(bt.deals, fit.train.deals);
        prop_assert_eq!(bt.scores.energy.auc.map(f64::to_bits), fit.train.auc_fitted.map(f64::to_bits));
        for p in &fit.points {
            prop_assert!((0..=5).contains(&p.fitted));
        }
        prop_assert!(fit.m > 0.0);
    }
}

#[test]
fn models_round_trip_through_json_and_toml() {
    for set in [ModelSet::embedded(), models()] {
        let value = set.to_value();
        let again = ModelSet::from_value(value.clone()).unwrap();
        assert_eq!(again.to_value(), value);
        let toml_text = toml::to_string(set.default_model()).unwrap();
        assert_eq!(ModelSet::from_toml(&toml_text).unwrap().to_value(), value);
    }
}
