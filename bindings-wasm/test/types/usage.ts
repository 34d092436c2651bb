// Type-checked (never run) by types.test.mjs with `tsc --noEmit --strict`: the declarations of
// both builds describe the serde shapes, and the optional arguments really are optional.
import * as node from "../../pkg/node/dealscore_wasm.js";
import init, * as web from "../../pkg/web/dealscore_wasm.js";

const activity: node.Activity = {
  id: "a1",
  deal: "D-1",
  date: "2026-11-02",
  actions: ["meeting_accepted"],
  contacts: [{ person: "田中", title: "CEO", role: null }],
};
const deal: node.Deal = {
  id: "D-1",
  maintainer: "sato.m",
  quality_events: [{ indicator: "empathy", checked: true, by: "sato.m", date: "2026-11-20" }],
  members: [{ user: "sato.m", notify: "digest" }],
};

const reports: node.DealReport[] = node.score({ deals: [deal], activities: [activity], as_of: "2026-11-27" });
const total: number = reports[0].energy.total;
const coverage: number | null = reports[0].breadth.route.coverage;
for (const s of reports[0].signals) {
  if (s.kind === "single_threaded") {
    const person: string = s.person;
    void person;
  }
}
const model = node.Model.fromToml("schema = 1");
const withModel: node.DealReport[] = node.score({ as_of: "2026-11-27" }, model);
const text: string = node.scoreJson(JSON.stringify({ as_of: "2026-11-27" }));
const stale: node.StaleReport = node.stale({ as_of: "2026-11-27", basis: "energy", days: 10 });
const quality: node.QualityReport | null = node.quality({ deal, as_of: "2026-11-27" });
const next: node.NextSteps = node.nextSteps({ deal, done: [] }, model);
const who: string[] = node.recipients({ deal, activity });
const items: node.ExplainItem[] = node.explainActivity(activity).items;
const file: node.ModelFile | node.ModelSetFile = model.toJSON();

const history: node.Deal[] = [
  { id: "D-1", outcome: "won", closed_on: "2026-06-30" },
  { id: "D-2", outcome: "lost", closed_on: "2026-07-15" },
];
const bt: node.Backtest = node.backtest({ deals: history, activities: [activity], horizon_days: 14, bins: 5 }, model);
const auc: number | null = bt.scores.energy.auc;
const quality_fit: node.ScoreFit | undefined = bt.scores.quality;
const rows: node.BacktestRow[] = bt.rows;
const insight: node.Insight | undefined = bt.insights.find((i) => i.kind === "action");
const btText: string = node.backtestJson(JSON.stringify({ deals: history, as_of: "2026-06-01" }));
// @ts-expect-error: an outcome is won or lost
const pending: node.Deal = { id: "D-3", outcome: "pending" };

const scorer = new node.Scorer();
scorer.add(activity);
const size: number = scorer.size;
const report: node.DealReport = new node.Scorer(model, [deal]).report("D-1", "2026-11-27");

const index = node.QaIndex.fromJsonl("", model);
const hits: node.QaHit[] = index.search("見積", "quotation", 3);
const answer: node.QaAnswer = new node.QaIndex([{ id: "q", question: "見積", answer: "…" }]).ask({ question: "見積", deal });
const tokens: string[] = node.tokenize("ＰＣの見積");

try {
  node.score({ as_of: "bad" });
} catch (e) {
  const code: string = (e as node.DealscoreError).code;
  void code;
}

async function inBrowser(): Promise<web.DealReport[]> {
  await init();
  return web.score({ activities: [activity], as_of: "2026-11-27" }, web.Model.default());
}

// @ts-expect-error: as_of is required
node.score({ activities: [] });
// @ts-expect-error: energy is an object
const wrong: number = reports[0].energy;

void [bt, auc, quality_fit, rows, insight, btText, pending, hits, answer, tokens, total, coverage, withModel, text, stale, quality, next, who, items, file, size, report, inBrowser, wrong];
