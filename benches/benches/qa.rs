//! Q&A index benchmarks: indexing 100 000 synthetic entries, and queries against them.
//!
//! The corpus is generated deterministically with a 64-bit LCG over a vocabulary of Japanese and
//! English words, skewed towards the first words of each list (so some terms are very common, as
//! in real Q&A data), plus product codes `sku0`…`sku49999` that make the vocabulary large.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dealscore::model::QaConfig;
use dealscore::qa::{QaEntry, QaIndex};

const ENTRIES: usize = 100_000;

const JA: &[&str] = &[
    "見積",
    "価格",
    "導入",
    "契約",
    "更新",
    "サポート",
    "データ",
    "移行",
    "請求",
    "支払",
    "納期",
    "保守",
    "障害",
    "対応",
    "設定",
    "連携",
    "権限",
    "管理",
    "画面",
    "帳票",
    "出力",
    "機能",
    "追加",
    "費用",
    "期間",
    "無料",
    "試用",
    "解約",
    "変更",
    "申込",
    "担当",
    "営業",
    "部長",
    "決裁",
    "稟議",
    "予算",
    "比較",
    "競合",
    "実績",
    "事例",
    "研修",
    "マニュアル",
    "問い合わせ",
    "セキュリティ",
    "認証",
    "ログイン",
    "パスワード",
    "バックアップ",
    "復旧",
    "容量",
    "上限",
    "料金",
    "割引",
    "請求書",
    "領収書",
    "振込",
    "口座",
    "法人",
    "個人",
    "利用",
    "規約",
    "方法",
    "手順",
    "確認",
    "可能",
    "必要",
    "場合",
    "時間",
    "東京",
    "大阪",
];
const PARTICLES: &[&str] = &["の", "は", "を", "に", "で", "が", "と", "も", "から", "まで"];
const EN: &[&str] = &[
    "price",
    "quote",
    "contract",
    "renewal",
    "support",
    "data",
    "migration",
    "invoice",
    "payment",
    "delivery",
    "maintenance",
    "incident",
    "setup",
    "integration",
    "permission",
    "admin",
    "report",
    "export",
    "feature",
    "cost",
    "trial",
    "cancel",
    "change",
    "order",
    "sales",
    "manager",
    "budget",
    "approval",
    "competitor",
    "case",
    "training",
    "manual",
    "security",
    "sso",
    "login",
    "password",
    "backup",
    "restore",
    "storage",
    "limit",
    "discount",
    "tax",
    "account",
    "api",
    "webhook",
    "csv",
    "salesforce",
    "aws",
    "azure",
    "vpn",
    "mobile",
    "ios",
    "android",
    "browser",
    "chrome",
    "excel",
    "the",
    "a",
    "is",
    "how",
    "what",
    "when",
    "can",
    "we",
    "to",
    "of",
    "for",
    "with",
    "in",
    "on",
];

/// Knuth's MMIX LCG; the high bits are the usable ones.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Skewed towards small indices (roughly the square of a uniform variable).
    fn skewed(&mut self, n: usize) -> usize {
        let u = self.below(1 << 16);
        (u * u / (1 << 16)) * n / (1 << 16)
    }

    fn sentence(&mut self, words: usize) -> String {
        let mut s = String::new();
        for _ in 0..words {
            match self.below(10) {
                0..=4 => {
                    s.push_str(JA[self.skewed(JA.len())]);
                    s.push_str(PARTICLES[self.below(PARTICLES.len())]);
                }
                5..=8 => {
                    if !s.is_empty() {
                        s.push(' ');
                    }
                    s.push_str(EN[self.skewed(EN.len())]);
                    s.push(' ');
                }
                _ => {
                    s.push_str(" sku");
                    s.push_str(&self.below(50_000).to_string());
                    s.push(' ');
                }
            }
        }
        s.push('？');
        s
    }
}

fn corpus() -> Vec<QaEntry> {
    const STAGES: &[&str] = &["hearing", "proposal", "negotiation", "closing", "onboarding"];
    let mut rng = Lcg(0x5eed);
    (0..ENTRIES)
        .map(|i| {
            let question_words = 4 + rng.below(9);
            let answer_words = 8 + rng.below(25);
            let stages = (0..rng.below(3)).map(|_| STAGES[rng.below(STAGES.len())].to_owned()).collect();
            let tags = (0..rng.below(3)).map(|_| JA[rng.below(JA.len())].to_owned()).collect();
            QaEntry {
                id: format!("qa-{i:06}"),
                question: rng.sentence(question_words),
                answer: rng.sentence(answer_words),
                stages,
                tags,
            }
        })
        .collect()
}

const QUERIES: &[(&str, &str, Option<&str>)] = &[
    ("ja_short", "見積の納期は？", None),
    ("ja_sentence", "請求書の支払方法と口座の変更手順を確認したい", Some("closing")),
    ("en_short", "salesforce integration", None),
    ("mixed", "AWSで SSO ログインの設定は可能ですか", Some("onboarding")),
    ("common_terms", "the price of support", None),
    ("rare_sku", "sku12345 の価格", Some("proposal")),
];

fn bench(c: &mut Criterion) {
    let entries = corpus();
    let config = QaConfig::default();

    let mut group = c.benchmark_group("qa_index");
    group.sample_size(10);
    group.bench_function("index_100k", |b| {
        b.iter_batched(|| entries.clone(), |entries| QaIndex::new(entries, &config).unwrap(), BatchSize::LargeInput);
    });
    group.finish();

    let index = QaIndex::new(entries, &config).unwrap();
    let mut group = c.benchmark_group("qa_query_100k");
    for &(name, question, stage) in QUERIES {
        group.bench_function(name, |b| {
            b.iter(|| index.search(black_box(question), black_box(stage), black_box(10)).unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
