//! Q&A matching (MODEL.md §8): the tokenizer, the BM25 index against a naive reference
//! implementation, ranking rules, limits and loaders.

// Scores are compared exactly on purpose: the index is specified to reproduce them bit for bit.
#![allow(clippy::float_cmp)]

use dealscore::model::QaConfig;
use dealscore::qa::{
    MAX_FIELD_BYTES, MAX_K, MAX_QUERY_BYTES, QaEntry, QaHit, QaIndex, entries_from_csv, entries_from_json,
    entries_from_jsonl, is_cjk_char, tokenize,
};
use proptest::prelude::*;

fn entry(id: &str, question: &str, answer: &str, stages: &[&str], tags: &[&str]) -> QaEntry {
    QaEntry {
        id: id.into(),
        question: question.into(),
        answer: answer.into(),
        stages: stages.iter().map(|s| (*s).to_owned()).collect(),
        tags: tags.iter().map(|s| (*s).to_owned()).collect(),
    }
}

fn index(entries: Vec<QaEntry>) -> QaIndex {
    QaIndex::new(entries, &QaConfig::default()).unwrap()
}

fn ids(hits: &[QaHit]) -> Vec<&str> {
    hits.iter().map(|h| h.id.as_str()).collect()
}

fn assert_close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() <= 1e-12, "{actual} != {expected}");
}

// ---------------------------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------------------------

#[test]
fn tokenizer_model_example() {
    assert_eq!(tokenize("ＰＣの見積もりをAWSで"), ["pc", "の見", "見積", "積も", "もり", "りを", "aws", "で"]);
}

#[test]
fn tokenizer_single_cjk_character_run() {
    assert_eq!(tokenize("値"), ["値"]);
    assert_eq!(tokenize("API 値 test"), ["api", "値", "test"]);
    assert_eq!(tokenize("値、段"), ["値", "段"]);
    // 々 (U+3005) and ー (U+30FC) are CJK characters.
    assert_eq!(tokenize("人々"), ["人々"]);
    assert_eq!(tokenize("サーバー"), ["サー", "ーバ", "バー"]);
}

#[test]
fn tokenizer_nakaguro_separates() {
    assert_eq!(tokenize("営業・技術"), ["営業", "技術"]);
    // The half-width form ･ (U+FF65) becomes ・ under NFKC and separates too.
    assert_eq!(tokenize("営業･技術"), ["営業", "技術"]);
    assert_eq!(tokenize("A・B"), ["a", "b"]);
}

#[test]
fn tokenizer_full_width_digits_and_letters() {
    assert_eq!(tokenize("２０２６年"), ["2026", "年"]);
    assert_eq!(tokenize("Ｗｉｎｄｏｗｓ１１"), ["windows11"]);
    // Half-width katakana is folded to full width by NFKC.
    assert_eq!(tokenize("ｶﾀｶﾅ"), ["カタ", "タカ", "カナ"]);
    // Circled and superscript digits are Numeric after NFKC too.
    assert_eq!(tokenize("①²"), ["12"]);
}

#[test]
fn tokenizer_mixed_japanese_english_punctuation() {
    assert_eq!(
        tokenize("【重要】Salesforce連携は可能？ 料金: ¥10,000/月"),
        ["重要", "salesforce", "連携", "携は", "は可", "可能", "料金", "10", "000", "月"]
    );
    assert_eq!(tokenize("e-mail, CRM!"), ["e", "mail", "crm"]);
    assert_eq!(tokenize("  \t\n"), Vec::<String>::new());
    assert_eq!(tokenize("？！。"), Vec::<String>::new());
    assert_eq!(tokenize(""), Vec::<String>::new());
}

#[test]
fn tokenizer_hangul_is_a_word() {
    assert_eq!(tokenize("안녕하세요 세계"), ["안녕하세요", "세계"]);
    assert_eq!(tokenize("견적서を送付"), ["견적서", "を送", "送付"]);
}

#[test]
fn tokenizer_emoji_separates() {
    assert_eq!(tokenize("見積🙂依頼"), ["見積", "依頼"]);
    assert_eq!(tokenize("deal👍done"), ["deal", "done"]);
}

#[test]
fn tokenizer_lower_cases_beyond_ascii() {
    assert_eq!(tokenize("ÉCOLE Straße ΣΟΦΙΑ"), ["école", "straße", "σοφια"]);
}

// ---------------------------------------------------------------------------------------------
// Hand-computed scores (default config: k1 = 1.2, b = 0.75, answer_weight = 0.3, stage_boost = 1.5)
// ---------------------------------------------------------------------------------------------

#[test]
fn hand_computed_question_versus_answer_field() {
    // N = 2. F1: A = [pricing, discount], B = [delivery, schedule]; avgdl = 2.
    //        F2: A = [call, sales],        B = [pricing, table];    avgdl = 2.
    // "pricing": df = 1 in each field, so idf = ln(1 + (2 − 1 + 0.5)/(1 + 0.5)) = ln 2.
    // dl = avgdl, so the length norm is k1 · (1 − b + b) = 1.2.
    // A: bm25(F1) = ln 2 · 1/(1 + 1.2) = 0.693147180559945 / 2.2 = 0.31506690025452055.
    // B: 0.3 · bm25(F2) = 0.3 · 0.31506690025452055 = 0.09452007007635617.
    let idx = index(vec![
        entry("A", "pricing discount", "call sales", &[], &[]),
        entry("B", "delivery schedule", "pricing table", &[], &[]),
    ]);
    let hits = idx.search("Pricing?", None, 10).unwrap();
    assert_eq!(ids(&hits), ["A", "B"]);
    assert_close(hits[0].score, 0.315_066_900_254_520_55);
    assert_close(hits[1].score, 0.094_520_070_076_356_17);
    assert_eq!(hits[0].matched, ["pricing"]);
    assert_eq!(hits[1].matched, ["pricing"]);
    assert_eq!(hits[1].answer, "pricing table");
}

#[test]
fn hand_computed_tags_term_frequency_and_lengths() {
    // N = 3.
    // F1 (question, then tags): A = [vpn, setup, vpn] (dl 3), B = [vpn, price] (2), C = [office,
    //    move] (2); avgdl = 7/3.
    // F2 (answer): A = [], B = [vpn, is, cheap] (3), C = []; avgdl = 1.
    // Query "vpn vpn price?" → distinct tokens [vpn, price].
    // F1 idf(vpn)   = ln(1 + (3 − 2 + 0.5)/(2 + 0.5)) = ln 1.6   = 0.47000362924573563
    //    idf(price) = ln(1 + (3 − 1 + 0.5)/(1 + 0.5)) = ln(8/3) = 0.9808292530117263
    //    norm(dl 3) = 1.2 · (0.25 + 0.75 · 3/(7/3)) = 1.457142857142857
    //    norm(dl 2) = 1.2 · (0.25 + 0.75 · 2/(7/3)) = 1.0714285714285714
    // A = 0.47000362924573563 · 2/(2 + 1.457142857142857)                      = 0.2719029260099297
    // B F1 = 0.47000362924573563/(1 + 1.0714285714285714)
    //      + 0.9808292530117263/(1 + 1.0714285714285714)                        = 0.7004020810898093
    //   F2 idf(vpn) = ln(1 + (3 − 1 + 0.5)/(1 + 0.5)) = 0.9808292530117263; norm(dl 3) = 1.2 ·
    //      (0.25 + 0.75 · 3/1) = 3; term = 0.9808292530117263/(1 + 3) = 0.24520731325293157
    // B = 0.7004020810898093 + 0.3 · 0.24520731325293157                        = 0.7739642750656888
    // C matches nothing and is left out.
    let idx = index(vec![
        entry("A", "VPN setup", "", &[], &["vpn"]),
        entry("B", "VPN price", "vpn is cheap", &[], &[]),
        entry("C", "office move", "", &[], &[]),
    ]);
    let hits = idx.search("vpn vpn price?", None, 10).unwrap();
    assert_eq!(ids(&hits), ["B", "A"]);
    assert_close(hits[0].score, 0.773_964_275_065_688_8);
    assert_close(hits[1].score, 0.271_902_926_009_929_7);
    assert_eq!(hits[0].matched, ["vpn", "price"]);
    assert_eq!(hits[1].matched, ["vpn"]);
}

#[test]
fn hand_computed_cjk_stage_boost_and_min_score() {
    // N = 2. F1: A "見積もり" = [見積, 積も, もり] (dl 3), B "見積書" = [見積, 積書] (dl 2);
    // avgdl = 2.5. F2: both answers are empty, avgdl = 0, so F2 contributes 0.
    // Query "見積" = [見積]: df = 2, idf = ln(1 + (2 − 2 + 0.5)/(2 + 0.5)) = ln 1.2
    //   = 0.1823215567939546.
    // A: norm = 1.2 · (0.25 + 0.75 · 3/2.5) = 1.38; 0.1823215567939546/2.38 = 0.0766056961319137
    // B: norm = 1.2 · (0.25 + 0.75 · 2/2.5) = 1.02; 0.1823215567939546/2.02 = 0.09025819643265079
    // At stage "proposal" A (which lists it) is boosted: 0.0766056961319137 · 1.5
    //   = 0.11490854419787055, and overtakes B. B has no stage: general, never boosted.
    let entries = vec![entry("A", "見積もり", "", &["proposal"], &[]), entry("B", "見積書", "", &[], &[])];
    let idx = index(entries.clone());
    let plain = idx.search("見積", None, 10).unwrap();
    assert_eq!(ids(&plain), ["B", "A"]);
    assert_close(plain[0].score, 0.090_258_196_432_650_79);
    assert_close(plain[1].score, 0.076_605_696_131_913_7);
    let other_stage = idx.search("見積", Some("hearing"), 10).unwrap();
    assert_eq!(other_stage, plain);
    let boosted = idx.search("見積", Some("proposal"), 10).unwrap();
    assert_eq!(ids(&boosted), ["A", "B"]);
    assert_close(boosted[0].score, 0.114_908_544_197_870_55);
    assert_eq!(boosted[0].stages, ["proposal"]);

    // min_score 0.1 keeps only the boosted A.
    let config = QaConfig { min_score: 0.1, ..QaConfig::default() };
    let strict = QaIndex::new(entries, &config).unwrap();
    assert_eq!(ids(&strict.search("見積", Some("proposal"), 10).unwrap()), ["A"]);
    assert!(strict.search("見積", None, 10).unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Ranking rules
// ---------------------------------------------------------------------------------------------

#[test]
fn ties_are_broken_by_id_ascending() {
    let idx = index(vec![
        entry("b", "contract renewal", "", &[], &[]),
        entry("c", "contract renewal", "", &[], &[]),
        entry("a", "contract renewal", "", &[], &[]),
        entry("d", "unrelated topic", "", &[], &[]),
    ]);
    let hits = idx.search("renewal", None, 10).unwrap();
    assert_eq!(ids(&hits), ["a", "b", "c"]);
    assert_eq!(hits[0].score, hits[2].score);
    assert_eq!(ids(&idx.search("renewal", None, 1).unwrap()), ["a"]);
    assert_eq!(ids(&idx.search("renewal", None, 2).unwrap()), ["a", "b"]);
    assert!(idx.search("renewal", None, 0).unwrap().is_empty());
}

#[test]
fn ids_compare_by_bytes() {
    let idx = index(vec![
        entry("ｑ1", "same words", "", &[], &[]),
        entry("Q1", "same words", "", &[], &[]),
        entry("q1", "same words", "", &[], &[]),
        entry("q10", "same words", "", &[], &[]),
        entry("q2", "same words", "", &[], &[]),
    ]);
    let hits = idx.search("same", None, 10).unwrap();
    assert_eq!(ids(&hits), ["Q1", "q1", "q10", "q2", "ｑ1"]);
}

#[test]
fn stage_boost_applies_only_to_listed_stage() {
    let idx = index(vec![
        entry("general", "how to set up single sign-on", "", &[], &[]),
        entry("staged", "how to set up single sign-on", "", &["onboarding", "support"], &[]),
    ]);
    let none = idx.search("single sign-on", None, 10).unwrap();
    assert_eq!(ids(&none), ["general", "staged"]);
    assert_eq!(none[0].score, none[1].score);
    let at = idx.search("single sign-on", Some("support"), 10).unwrap();
    assert_eq!(ids(&at), ["staged", "general"]);
    assert_eq!(at[0].score, at[1].score * 1.5);
    // Stage names match exactly.
    let upper = idx.search("single sign-on", Some("Support"), 10).unwrap();
    assert_eq!(upper, none);
}

#[test]
fn min_score_filters_and_zero_scores_never_appear() {
    let entries = vec![
        entry("1", "invoice address change", "", &[], &[]),
        entry("2", "invoice", "", &[], &[]),
        entry("3", "holiday calendar", "", &[], &[]),
    ];
    let all = index(entries.clone()).search("invoice", None, 10).unwrap();
    assert_eq!(ids(&all), ["2", "1"]);
    let between = f64::midpoint(all[0].score, all[1].score);
    let config = QaConfig { min_score: between, ..QaConfig::default() };
    let idx = QaIndex::new(entries.clone(), &config).unwrap();
    assert_eq!(ids(&idx.search("invoice", None, 10).unwrap()), ["2"]);
    // min_score equal to a score keeps it (score ≥ min_score).
    let config = QaConfig { min_score: all[1].score, ..QaConfig::default() };
    let idx = QaIndex::new(entries.clone(), &config).unwrap();
    assert_eq!(ids(&idx.search("invoice", None, 10).unwrap()), ["2", "1"]);
    // A negative min_score does not let zero scores in.
    let config = QaConfig { min_score: -1.0, ..QaConfig::default() };
    let idx = QaIndex::new(entries, &config).unwrap();
    assert_eq!(ids(&idx.search("invoice", None, 10).unwrap()), ["2", "1"]);
    assert!(idx.search("unknown words", None, 10).unwrap().is_empty());
}

#[test]
fn answer_weight_zero_ignores_answers() {
    let config = QaConfig { answer_weight: 0.0, ..QaConfig::default() };
    let idx = QaIndex::new(vec![entry("a", "hello", "refund policy", &[], &[])], &config).unwrap();
    assert!(idx.search("refund", None, 10).unwrap().is_empty());
}

#[test]
fn matched_tokens_are_distinct_and_in_query_order() {
    let idx = index(vec![entry("a", "API rate limit", "contact support for a higher limit", &[], &["api"])]);
    let hits = idx.search("limit support API limit unknown api", None, 5).unwrap();
    assert_eq!(hits[0].matched, ["limit", "support", "api"]);
}

#[test]
fn lookups_and_sizes() {
    let idx = index(vec![entry("x", "q", "a", &[], &[]), entry("y", "r", "b", &["s"], &["t"])]);
    assert_eq!(idx.len(), 2);
    assert!(!idx.is_empty());
    assert_eq!(idx.entry("y").unwrap().tags, ["t"]);
    assert!(idx.entry("z").is_none());
    assert_eq!(idx.entries()[0].id, "x");
    let empty = index(Vec::new());
    assert!(empty.is_empty());
    assert!(empty.search("anything", None, 10).unwrap().is_empty());
    assert!(format!("{idx:?}").contains("entries: 2"));
}

#[test]
fn hits_serialize_in_field_order() {
    let idx = index(vec![entry("a", "hello world", "hi", &["s"], &[])]);
    let hits = idx.search("hello", None, 1).unwrap();
    let json = serde_json::to_string(&hits[0]).unwrap();
    assert!(json.starts_with(r#"{"id":"a","score":"#), "{json}");
    assert!(json.ends_with(r#","question":"hello world","answer":"hi","stages":["s"],"matched":["hello"]}"#), "{json}");
}

// ---------------------------------------------------------------------------------------------
// Errors and limits
// ---------------------------------------------------------------------------------------------

#[test]
fn empty_questions_are_errors() {
    let idx = index(vec![entry("a", "hello", "", &[], &[])]);
    for q in ["", "   ", "\u{3000}\n", "？！", "🙂"] {
        assert_eq!(idx.search(q, None, 5).unwrap_err().code(), "empty_question", "{q:?}");
    }
    // Even with k = 0.
    assert_eq!(idx.search("", None, 0).unwrap_err().code(), "empty_question");
}

#[test]
fn index_errors_name_the_entry() {
    let err = QaIndex::new(
        vec![entry("a", "x", "", &[], &[]), entry("b", "y", "", &[], &[]), entry("a", "z", "", &[], &[])],
        &QaConfig::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "duplicate_entry");
    assert!(err.to_string().contains(r#""a""#), "{err}");

    let err =
        QaIndex::new(vec![entry("a", "x", "", &[], &[]), entry("b", " \u{3000}", "", &[], &[])], &QaConfig::default())
            .unwrap_err();
    assert_eq!(err.code(), "missing_question");
    assert_eq!(err.path(), Some("entries[1].question"));

    let err = QaIndex::new(vec![entry("", "x", "", &[], &[])], &QaConfig::default()).unwrap_err();
    assert_eq!(err.code(), "empty_id");
    assert_eq!(err.path(), Some("entries[0].id"));

    // A question of punctuation only is allowed (its tags may carry the words).
    assert!(QaIndex::new(vec![entry("a", "？", "", &[], &["vpn"])], &QaConfig::default()).is_ok());
}

#[test]
fn invalid_config_is_rejected() {
    for (config, path) in [
        (QaConfig { k1: -0.1, ..QaConfig::default() }, "qa.k1"),
        (QaConfig { k1: f64::INFINITY, ..QaConfig::default() }, "qa.k1"),
        (QaConfig { b: 1.5, ..QaConfig::default() }, "qa.b"),
        (QaConfig { b: f64::NAN, ..QaConfig::default() }, "qa.b"),
        (QaConfig { answer_weight: f64::NAN, ..QaConfig::default() }, "qa.answer_weight"),
        (QaConfig { stage_boost: f64::INFINITY, ..QaConfig::default() }, "qa.stage_boost"),
        (QaConfig { min_score: f64::NAN, ..QaConfig::default() }, "qa.min_score"),
    ] {
        let err = QaIndex::new(Vec::new(), &config).unwrap_err();
        assert_eq!(err.code(), "invalid_model");
        assert_eq!(err.path(), Some(path));
    }
}

#[test]
fn limits_are_enforced() {
    let idx = index(vec![entry("a", "hello", "", &[], &[])]);
    let long = "a ".repeat(MAX_QUERY_BYTES / 2);
    assert_eq!(long.len(), MAX_QUERY_BYTES);
    assert!(idx.search(&long, None, 1).is_ok());
    let too_long = format!("{long}b");
    let err = idx.search(&too_long, None, 1).unwrap_err();
    assert_eq!(err.code(), "limit_exceeded");
    assert!(err.to_string().contains("4096"), "{err}");

    assert!(idx.search("hello", None, MAX_K).is_ok());
    assert_eq!(idx.search("hello", None, MAX_K + 1).unwrap_err().code(), "limit_exceeded");

    let big = "x".repeat(MAX_FIELD_BYTES);
    assert!(QaIndex::new(vec![entry("a", &big, &big, &[], &[&big])], &QaConfig::default()).is_ok());
    let bigger = "x".repeat(MAX_FIELD_BYTES + 1);
    for e in [
        entry("a", &bigger, "", &[], &[]),
        entry("a", "q", &bigger, &[], &[]),
        entry("a", "q", "", &[], &[&big, "y"]),
        entry("a", "q", "", &[&big, "y"], &[]),
        entry(&bigger, "q", "", &[], &[]),
    ] {
        let err = QaIndex::new(vec![entry("ok", "fine", "", &[], &[]), e], &QaConfig::default()).unwrap_err();
        assert_eq!(err.code(), "limit_exceeded");
        assert!(err.to_string().contains("entries[1]."), "{err}");
    }
}

#[test]
fn too_many_entries_is_an_error() {
    let e = entry("a", "q", "", &[], &[]);
    let err = QaIndex::new(vec![e; dealscore::qa::MAX_ENTRIES + 1], &QaConfig::default()).unwrap_err();
    assert_eq!(err.code(), "limit_exceeded");
}

// ---------------------------------------------------------------------------------------------
// Loaders
// ---------------------------------------------------------------------------------------------

#[test]
fn json_loader() {
    let text = "\u{feff}[{\"id\":\"q1\",\"question\":\"見積は？\",\"answer\":\"3日\",\"stages\":[\"proposal\"]},\
                {\"id\":\"q2\",\"question\":\"VPN\",\"answer\":\"yes\",\"tags\":[\"network\"]}]";
    let entries = entries_from_json(text).unwrap();
    assert_eq!(
        entries,
        [entry("q1", "見積は？", "3日", &["proposal"], &[]), entry("q2", "VPN", "yes", &[], &["network"])]
    );

    let err = entries_from_json(r#"[{"id":"q1","question":"a","answer":"b"},{"id":"q2","question":5,"answer":"b"}]"#)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(err.path(), Some("[1].question"));

    let err = entries_from_json(r#"[{"id":"q1","question":"a","answer":"b","tags":["x",1]}]"#).unwrap_err();
    assert_eq!(err.path(), Some("[0].tags[1]"));

    let err = entries_from_json(r#"[{"id":"q1","question":"a"}]"#).unwrap_err();
    assert_eq!(err.path(), Some("[0]"));
    assert!(err.to_string().contains("answer"), "{err}");

    let err = entries_from_json(r#"[{"id":"q1","question":"a","answer":"b","stage":"x"}]"#).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("stage"), "{err}");

    assert_eq!(entries_from_json(r#"{"id":"q1"}"#).unwrap_err().path(), Some("$"));
    assert_eq!(entries_from_json("[] x").unwrap_err().path(), Some("$"));
    assert!(entries_from_json("[]").unwrap().is_empty());
}

#[test]
fn jsonl_loader() {
    let text = "{\"id\":\"a\",\"question\":\"q\",\"answer\":\"x\"}\r\n\
                \n\
                {\"id\":\"b\",\"question\":\"r\",\"answer\":\"y\",\"stages\":[\"s\"]}\n";
    let entries = entries_from_jsonl(text).unwrap();
    assert_eq!(entries, [entry("a", "q", "x", &[], &[]), entry("b", "r", "y", &["s"], &[])]);

    let text = "{\"id\":\"a\",\"question\":\"q\",\"answer\":\"x\"}\n\n{\"id\":\"b\",\"question\":1,\"answer\":\"y\"}\n";
    let err = entries_from_jsonl(text).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(err.path(), Some("line 3: question"));

    let err = entries_from_jsonl("{\"id\":\"a\",\"question\":\"q\",\"answer\":\"x\"}\n{oops\n").unwrap_err();
    assert_eq!(err.path(), Some("line 2"));
    let err = entries_from_jsonl("{\"id\":\"a\",\"question\":\"q\",\"answer\":\"x\"} {}").unwrap_err();
    assert_eq!(err.path(), Some("line 1"));
    assert!(entries_from_jsonl("\u{feff}\n  \n").unwrap().is_empty());
}

#[test]
fn csv_loader() {
    let text = "\u{feff}id,question,answer,stages,tags\r\n\
                q1,見積は何日で出ますか？,\"通常3営業日です。\n急ぎは相談,可\",proposal; closing,見積;納期\r\n\
                q2,VPNは必要？,不要です,,\r\n";
    let entries = entries_from_csv(text).unwrap();
    assert_eq!(
        entries,
        [
            entry(
                "q1",
                "見積は何日で出ますか？",
                "通常3営業日です。\n急ぎは相談,可",
                &["proposal", "closing"],
                &["見積", "納期"]
            ),
            entry("q2", "VPNは必要？", "不要です", &[], &[]),
        ]
    );

    // Columns in any order, optional ones omitted, names trimmed and case-insensitive.
    let entries = entries_from_csv("Answer, ID ,question\nyes,a,why\n").unwrap();
    assert_eq!(entries, [entry("a", "why", "yes", &[], &[])]);

    // The record starting on line 4 (the quoted field spans lines 2–3) has too few fields.
    let err = entries_from_csv("id,question,answer\na,\"multi\nline\",x\nb,only two\n").unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(err.path(), Some("line 4"));

    for header in ["id,question,answer,extra\n", "id,question\n", "id,question,answer,id\n", ""] {
        let err = entries_from_csv(header).unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{header:?}");
        assert_eq!(err.path(), Some("line 1"), "{header:?}");
    }
}

#[test]
fn loaded_entries_index_and_search() {
    let entries = entries_from_csv("id,question,answer,stages,tags\nq1,見積は何日？,3営業日,proposal,納期\n").unwrap();
    let idx = index(entries);
    let hits = idx.search("見積の納期", Some("proposal"), 3).unwrap();
    assert_eq!(ids(&hits), ["q1"]);
    assert_eq!(hits[0].matched, ["見積", "納期"]);
}

// ---------------------------------------------------------------------------------------------
// Naive reference implementation
// ---------------------------------------------------------------------------------------------

/// A deliberately plain BM25: every entry's token lists, and for each query, every df, avgdl
/// and tf recounted by scanning all entries; no index, no pruning.
struct Naive<'a> {
    entries: &'a [QaEntry],
    /// Per entry: F1 (question tokens, then each tag's) and F2 (answer tokens).
    fields: [Vec<Vec<String>>; 2],
}

impl<'a> Naive<'a> {
    fn new(entries: &'a [QaEntry]) -> Self {
        let f1 = entries
            .iter()
            .map(|e| {
                let mut tokens = tokenize(&e.question);
                for tag in &e.tags {
                    tokens.extend(tokenize(tag));
                }
                tokens
            })
            .collect();
        let f2 = entries.iter().map(|e| tokenize(&e.answer)).collect();
        Naive { entries, fields: [f1, f2] }
    }

    /// Every eligible entry as (id, score, matched), best first. `ln` is the logarithm to use.
    fn search(
        &self,
        config: &QaConfig,
        question: &str,
        stage: Option<&str>,
        ln: fn(f64) -> f64,
    ) -> Vec<(String, f64, Vec<String>)> {
        let mut query: Vec<String> = Vec::new();
        for token in tokenize(question) {
            if !query.contains(&token) {
                query.push(token);
            }
        }
        let n = self.entries.len() as f64;
        // Per field: avgdl and, per query token, idf.
        let stats: Vec<(f64, Vec<f64>)> = self
            .fields
            .iter()
            .map(|field| {
                let total: u64 = field.iter().map(|tokens| tokens.len() as u64).sum();
                let avgdl = total as f64 / n;
                let idf = query
                    .iter()
                    .map(|t| {
                        let df = field.iter().filter(|tokens| tokens.contains(t)).count() as f64;
                        ln(1.0 + (n - df + 0.5) / (df + 0.5))
                    })
                    .collect();
                (avgdl, idf)
            })
            .collect();
        let bm25 = |f: usize, doc: usize| -> f64 {
            let (avgdl, idf) = &stats[f];
            if *avgdl == 0.0 {
                return 0.0;
            }
            let tokens = &self.fields[f][doc];
            let mut sum = 0.0;
            for (q, t) in query.iter().enumerate() {
                let tf = tokens.iter().filter(|x| *x == t).count();
                if tf == 0 {
                    continue;
                }
                let tf = tf as f64;
                let dl = tokens.len() as f64;
                sum += idf[q] * tf / (tf + config.k1 * (1.0 - config.b + config.b * dl / avgdl));
            }
            sum
        };
        let mut out = Vec::new();
        for (doc, e) in self.entries.iter().enumerate() {
            let mut score = bm25(0, doc) + config.answer_weight * bm25(1, doc);
            if stage.is_some_and(|s| e.stages.iter().any(|x| x == s)) {
                score *= config.stage_boost;
            }
            if score > 0.0 && score >= config.min_score {
                let matched = query
                    .iter()
                    .filter(|t| self.fields[0][doc].contains(t) || self.fields[1][doc].contains(t))
                    .cloned()
                    .collect();
                out.push((e.id.clone(), score, matched));
            }
        }
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

fn naive_all(
    entries: &[QaEntry],
    config: &QaConfig,
    question: &str,
    stage: Option<&str>,
    ln: fn(f64) -> f64,
) -> Vec<(String, f64, Vec<String>)> {
    Naive::new(entries).search(config, question, stage, ln)
}

/// 9 000 entries (three windows of the index's pruning) from a fixed LCG, with skewed word
/// frequencies, against 60 queries: the index's top 5 and top 50 equal the naive ones bit for
/// bit.
#[test]
fn large_corpus_equals_naive() {
    let mut lcg: u64 = 42;
    let mut next = move |n: usize| {
        lcg = lcg.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let u = ((lcg >> 33) % n as u64) as usize;
        let v = ((lcg >> 12) % n as u64) as usize;
        u.min(v)
    };
    let mut text = |words: usize| -> String {
        let mut s = String::new();
        for _ in 0..words {
            s.push_str(WORDS[next(WORDS.len())]);
            s.push_str(SEPARATORS[next(SEPARATORS.len())]);
        }
        s
    };
    let stages = ["hearing", "proposal", "closing"];
    let entries: Vec<QaEntry> = (0..9_000)
        .map(|i| QaEntry {
            id: format!("{:05}", (i * 7_919) % 9_001),
            question: text(1 + i % 7),
            answer: text(i % 11),
            stages: if i % 3 == 0 { vec![stages[i % 9 / 3].to_owned()] } else { Vec::new() },
            tags: if i % 5 == 0 { vec![text(1)] } else { Vec::new() },
        })
        .collect();
    let queries: Vec<String> = (0..60).map(|i| text(1 + i % 6)).collect();
    let naive = Naive::new(&entries);
    for (c, config) in
        [QaConfig::default(), QaConfig { min_score: 1.0, stage_boost: 3.0, answer_weight: 0.8, ..QaConfig::default() }]
            .iter()
            .enumerate()
    {
        let idx = QaIndex::new(entries.clone(), config).unwrap();
        for (i, q) in queries.iter().enumerate() {
            let stage = [None, Some("proposal"), Some("closing")][(i + c) % 3];
            let expected = naive.search(config, q, stage, libm::log);
            for k in [5, 50] {
                let got: Vec<(String, f64, Vec<String>)> =
                    idx.search(q, stage, k).unwrap().into_iter().map(|h| (h.id, h.score, h.matched)).collect();
                let want: Vec<_> = expected.iter().take(k).cloned().collect();
                assert_eq!(got, want, "query {q:?} stage {stage:?} k {k}");
            }
        }
    }
}

const WORDS: &[&str] = &[
    "見積",
    "もり",
    "価格",
    "導入",
    "サポート",
    "契約",
    "更新",
    "データ",
    "移行",
    "東京",
    "pc",
    "AWS",
    "api",
    "VPN",
    "price",
    "contract",
    "renewal",
    "support",
    "견적",
    "２０２６",
    "1",
    "の",
    "を",
    "は",
];
const SEPARATORS: &[&str] = &[" ", "", "、", "・", "? ", "！"];

fn text(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec((0..WORDS.len(), 0..SEPARATORS.len()), min..=max).prop_map(|parts| {
        let mut text = String::new();
        for (w, s) in parts {
            text.push_str(WORDS[w]);
            text.push_str(SEPARATORS[s]);
        }
        text
    })
}

fn corpus() -> impl Strategy<Value = Vec<QaEntry>> {
    let stages = prop::sample::subsequence(vec!["hearing", "proposal", "closing"], 0..=2);
    let one = (0u16..60, text(1, 6), text(0, 8), stages, prop::collection::vec(text(1, 2), 0..=2));
    prop::collection::vec(one, 1..25).prop_map(|rows| {
        let mut seen = std::collections::HashSet::new();
        rows.into_iter()
            .filter(|row| seen.insert(row.0))
            .map(|(id, question, answer, stages, tags)| QaEntry {
                id: format!("e{id}"),
                question,
                answer,
                stages: stages.into_iter().map(str::to_owned).collect(),
                tags,
            })
            .collect()
    })
}

/// 40 to 200 entries with words drawn mostly from the start of [`WORDS`], so some terms are common
/// and some rare.
fn big_corpus() -> impl Strategy<Value = Vec<QaEntry>> {
    let word = || (0..WORDS.len(), 0..WORDS.len()).prop_map(|(a, b)| WORDS[a.min(b)]);
    let text = move |max: usize| prop::collection::vec(word(), 1..=max).prop_map(|w| w.join(" "));
    let stages = prop::sample::subsequence(vec!["hearing", "proposal", "closing"], 0..=1);
    let one = (text(6), text(10), stages, prop::collection::vec(text(1), 0..=1));
    prop::collection::vec(one, 40..200).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (question, answer, stages, tags))| QaEntry {
                // Ids not in insertion order, so ties are broken by id, not by position.
                id: format!("e{:03}", (i * 37) % 211),
                question,
                answer,
                stages: stages.into_iter().map(str::to_owned).collect(),
                tags,
            })
            .collect()
    })
}

fn config() -> impl Strategy<Value = QaConfig> {
    (0.0..3.0f64, 0.0..=1.0f64, 0.0..1.0f64, 0.5..3.0f64, prop_oneof![Just(0.0), 0.0..1.5f64]).prop_map(
        |(k1, b, answer_weight, stage_boost, min_score)| QaConfig { k1, b, answer_weight, stage_boost, min_score },
    )
}

fn query() -> impl Strategy<Value = String> {
    (text(1, 6), prop::bool::ANY).prop_map(|(q, extra)| if extra { format!("{q} zzz 未知") } else { q })
}

fn stage() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::of(prop::sample::select(vec!["hearing", "proposal", "closing", "other"]))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// With the same logarithm and the documented evaluation order, the index reproduces the naive
    /// implementation bit for bit, ranking included.
    #[test]
    fn index_equals_naive_bit_for_bit(
        entries in corpus(), config in config(), q in query(), stage in stage(), k in 0usize..12,
    ) {
        let idx = QaIndex::new(entries.clone(), &config).unwrap();
        let hits = idx.search(&q, stage, k).unwrap();
        let expected = naive_all(&entries, &config, &q, stage, libm::log);
        let got: Vec<(String, f64, Vec<String>)> =
            hits.into_iter().map(|h| (h.id, h.score, h.matched)).collect();
        let want: Vec<_> = expected.into_iter().take(k).collect();
        prop_assert_eq!(got, want);
    }

    /// Larger corpora and small k, where the index skips entries that cannot make the top k:
    /// still the naive result bit for bit.
    #[test]
    fn pruned_search_equals_naive(
        entries in big_corpus(), config in config(), q in query(), stage in stage(), k in 1usize..4,
    ) {
        let idx = QaIndex::new(entries.clone(), &config).unwrap();
        let hits = idx.search(&q, stage, k).unwrap();
        let expected = naive_all(&entries, &config, &q, stage, libm::log);
        let got: Vec<(String, f64, Vec<String>)> =
            hits.into_iter().map(|h| (h.id, h.score, h.matched)).collect();
        let want: Vec<_> = expected.into_iter().take(k).collect();
        prop_assert_eq!(got, want);
    }

    /// Against the naive implementation with the platform logarithm: every score within 1e-9,
    /// results ordered, and nothing better left out.
    #[test]
    fn index_matches_naive_within_tolerance(
        entries in corpus(), config in config(), q in query(), stage in stage(), k in 1usize..12,
    ) {
        let idx = QaIndex::new(entries.clone(), &config).unwrap();
        let hits = idx.search(&q, stage, k).unwrap();
        let expected = naive_all(&entries, &config, &q, stage, f64::ln);
        prop_assert_eq!(hits.len(), expected.len().min(k));
        for pair in hits.windows(2) {
            prop_assert!(
                pair[0].score > pair[1].score || (pair[0].score == pair[1].score && pair[0].id < pair[1].id)
            );
        }
        for hit in &hits {
            let (_, score, matched) = expected.iter().find(|e| e.0 == hit.id).expect("hit is eligible");
            prop_assert!((hit.score - score).abs() <= 1e-9, "{} vs {}", hit.score, score);
            prop_assert_eq!(&hit.matched, matched);
        }
        if let Some(last) = hits.last() {
            for (id, score, _) in &expected {
                if !hits.iter().any(|h| &h.id == id) {
                    prop_assert!(*score <= last.score + 1e-9, "{id} ({score}) left out");
                }
            }
        }
    }

    /// Tokens are never empty, hold only CJK or alphanumeric characters, and a token with a CJK
    /// character is a CJK bigram or a lone CJK character.
    #[test]
    fn tokens_are_well_formed(s in "\\PC{0,40}") {
        for token in tokenize(&s) {
            prop_assert!(!token.is_empty());
            prop_assert!(token.chars().all(|c| is_cjk_char(c) || c.is_alphabetic() || c.is_numeric()), "{:?}", token);
            if token.chars().any(is_cjk_char) {
                prop_assert!(token.chars().all(is_cjk_char) && token.chars().count() <= 2, "{:?}", token);
            }
        }
    }
}

#[test]
fn json_syntax_errors_keep_the_known_path() {
    let err = entries_from_json(r#"[{"id":"a","question":"q","answer":"x"}, {"id": oops}]"#).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(err.path(), Some("[1].id"), "{err}");
    let err = entries_from_json("[{oops").unwrap_err();
    assert_eq!(err.path(), Some("[0]"), "{err}");
    assert_eq!(entries_from_json("oops").unwrap_err().path(), Some("$"));
}
