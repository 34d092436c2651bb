// The package's API on the Node build: names and call shapes of the Node package, errors with
// the core's codes, the object and JSON-text paths agreeing, and the incremental Scorer.
import assert from "node:assert/strict";
import { test } from "node:test";

import { examples, loadNode } from "./helpers.mjs";

const w = loadNode();
const ex = examples();
const AS_OF = "2026-11-27";
const visit = {
  id: "a1",
  deal: "D-1",
  date: "2026-11-02",
  actions: ["meeting_accepted", "asked_question"],
  contacts: [{ person: "田中", title: "CEO" }, { person: "鈴木", title: "課長" }],
};

function throwsCode(fn, code, type = Error) {
  let caught;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught, `expected ${code}`);
  assert.ok(caught instanceof type, `${caught?.name} is not a ${type.name}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}

test("exports the Node package's names", () => {
  for (const name of [
    "Model", "Scorer", "score", "scoreJson", "explain", "explainJson", "explainActivity", "stale", "staleJson",
    "quality", "qualityJson", "nextSteps", "nextStepsJson", "recipients", "recipientsJson", "onReport",
    "onReportJson", "normalizeTitle", "tokenize", "QaIndex",
  ]) {
    assert.equal(typeof w[name], "function", name);
  }
  for (const name of ["default", "fromJson", "fromToml", "fromObject"]) assert.equal(typeof w.Model[name], "function", name);
});

test("the crate docs' example: one visit is 54 points", () => {
  const [report] = w.score({ activities: [visit], as_of: AS_OF });
  assert.equal(report.energy.total, 54);
  assert.equal(report.breadth.top_role, "executive");
});

test("object results equal JSON.parse of the JSON-text results", () => {
  const model = w.Model.fromJson(ex.modelJson);
  const request = { deals: ex.deals, activities: ex.activities, as_of: AS_OF };
  const text = JSON.stringify(request);
  assert.deepEqual(w.score(request, model), JSON.parse(w.scoreJson(text, model)));
  assert.deepEqual(w.explain(request, model), JSON.parse(w.explainJson(text, model)));
  assert.deepEqual(w.stale({ ...request, basis: "energy" }, model), JSON.parse(w.staleJson(JSON.stringify({ ...request, basis: "energy" }), model)));
  const deal = ex.deals[0];
  assert.deepEqual(w.quality({ deal, as_of: AS_OF }, model), JSON.parse(w.qualityJson(JSON.stringify({ deal, as_of: AS_OF }), model)));
  assert.deepEqual(w.nextSteps({ deal, done: ["ringi_submitted"] }, model), JSON.parse(w.nextStepsJson(JSON.stringify({ deal, done: ["ringi_submitted"] }), model)));
  const activity = ex.activities.find((a) => a.deal === deal.id);
  assert.deepEqual(w.recipients({ deal, activity }), JSON.parse(w.recipientsJson(JSON.stringify({ deal, activity }))));
});

test("JSON text may come as UTF-8 bytes", () => {
  const text = JSON.stringify({ activities: [visit], as_of: AS_OF });
  assert.equal(w.scoreJson(new TextEncoder().encode(text)), w.scoreJson(text));
  assert.deepEqual(w.Model.fromJson(new TextEncoder().encode(JSON.stringify(w.Model.default()))).toJSON(), w.Model.default().toJSON());
  throwsCode(() => w.scoreJson(new Uint8Array([0xff, 0xfe])), "invalid_input", TypeError);
  throwsCode(() => w.scoreJson(42), "invalid_input", TypeError);
});

test("Model.fromToml is left out of the wasm package: it throws code unsupported", () => {
  const err = throwsCode(() => w.Model.fromToml("schema = 1"), "unsupported");
  assert.match(err.message, /Model\.fromJson/);
});

test("the examples' model file is the embedded default", () => {
  assert.deepEqual(w.Model.fromJson(ex.modelJson).toJSON(), w.Model.default().toJSON());
  const model = w.Model.default();
  assert.equal(model.defaultName, "default");
  assert.deepEqual(model.names(), ["default"]);
  assert.equal(JSON.parse(JSON.stringify(model)).schema, 1, "JSON.stringify(model) writes a model file");
  const labels = model.toJSON().quality.indicators.map((i) => i.label);
  assert.deepEqual(labels, ["紹介案件", "共感", "予算確保", "決裁者接触", "競合優位"]);
});

test("an inline model wins over the model argument; a model set picks by deal", () => {
  const custom = {
    schema: 1,
    actions: [{ id: "ping", label: "ping", points: 7 }],
    roles: [{ id: "boss", label: "boss", rank: 1, points: 1 }],
    status: { energy_threshold: 1, quality_threshold: 0.5 },
  };
  const act = { id: "x", deal: "D", date: "2026-11-01", actions: ["ping"] };
  assert.equal(w.score({ model: custom, activities: [act], as_of: AS_OF }, w.Model.default())[0].energy.total, 7);
  const set = w.Model.fromObject({ default: "a", models: { a: custom, b: { ...custom, actions: [{ id: "ping", label: "ping", points: 9 }] } } });
  assert.deepEqual(set.names(), ["a", "b"]);
  const reports = w.score({ deals: [{ id: "E", model: "b" }], activities: [act, { ...act, id: "y", deal: "E" }], as_of: AS_OF }, set);
  assert.deepEqual(reports.map((r) => [r.deal, r.energy.total]), [["D", 7], ["E", 9]]);
  throwsCode(() => w.score({ deals: [{ id: "F", model: "zzz" }], as_of: AS_OF }, set), "unknown_model");
});

test("errors are Errors with the core's code and path", () => {
  const date = throwsCode(() => w.score({ activities: [{ ...visit, date: "2026-02-30" }], as_of: AS_OF }), "invalid_date", RangeError);
  assert.equal(date.path, "activities[0].date");
  const shape = throwsCode(() => w.score({ activities: [{ ...visit, attendees: -1 }], as_of: AS_OF }), "invalid_input", TypeError);
  assert.equal(shape.path, "activities[0].attendees");
  const unknown = throwsCode(() => w.score({ activities: [{ ...visit, actions: ["nope"] }], as_of: AS_OF }), "unknown_action");
  assert.match(unknown.message, /"a1".*"nope"/);
  throwsCode(() => w.score({ activities: [visit, visit], as_of: AS_OF }), "duplicate_activity");
  throwsCode(() => w.score({ as_of: AS_OF, surprise: 1 }), "invalid_input", TypeError);
  throwsCode(() => w.score(undefined), "invalid_input", TypeError);
  throwsCode(() => w.scoreJson("{not json"), "invalid_input", TypeError);
  const model = throwsCode(() => w.Model.fromJson('{"schema": 2, "actions": [], "roles": [], "status": {"energy_threshold": 1, "quality_threshold": 0.5}}'), "invalid_model");
  assert.equal(model.path, "schema");
  throwsCode(() => w.Model.fromJson("{"), "invalid_input", TypeError);
  throwsCode(() => w.score({ activities: [visit], as_of: AS_OF }, { not: "a model" }), "invalid_input", TypeError);
  const freed = w.Model.default();
  freed.free();
  throwsCode(() => w.score({ as_of: AS_OF }, freed), "invalid_input", TypeError);
  throwsCode(() => w.nextSteps({ deal: { ...ex.deals[0] }, done: ["nope"] }), "unknown_criterion");
  throwsCode(() => w.recipients({ deal: { id: "A" }, activity: { ...visit, deal: "B" } }), "deal_mismatch");
});

test("the Scorer equals score over the same records, in any order", () => {
  const model = w.Model.fromJson(ex.modelJson);
  const scorer = new w.Scorer(model, ex.deals);
  for (const a of [...ex.activities].reverse()) scorer.add(a);
  assert.equal(scorer.size, ex.activities.length);
  const batch = w.scoreJson(JSON.stringify({ deals: ex.deals, activities: ex.activities, as_of: AS_OF }), model);
  assert.equal(scorer.reportAllJson(AS_OF), batch);
  assert.deepEqual(scorer.reportAll(AS_OF), JSON.parse(batch));
  assert.equal(scorer.reportJson("D-1003", AS_OF), JSON.stringify(JSON.parse(batch).find((r) => r.deal === "D-1003")));
  assert.deepEqual(scorer.dealIds(), ex.deals.map((d) => d.id).sort());
  const perDeal = w.explain({ deals: ex.deals, activities: ex.activities, as_of: AS_OF }, model).filter((x) => x.deal === "D-1003");
  assert.deepEqual(scorer.explain("D-1003", AS_OF), perDeal);
});

test("Scorer add, replace, remove, upsertDeal and addAll", () => {
  const scorer = new w.Scorer();
  scorer.add(visit);
  assert.equal(scorer.report("D-1", AS_OF).energy.total, 54);
  throwsCode(() => scorer.add(visit), "duplicate_activity");
  scorer.replace({ ...visit, actions: ["asked_question"] });
  assert.equal(scorer.report("D-1", AS_OF).energy.total, 29);
  assert.deepEqual(scorer.remove("a1").actions, ["asked_question"]);
  throwsCode(() => scorer.remove("a1"), "unknown_activity");
  throwsCode(() => scorer.report("D-1", AS_OF), "unknown_deal");
  // addAll is all or nothing.
  throwsCode(() => scorer.addAll([visit, { ...visit, id: "a2", actions: ["nope"] }]), "unknown_action");
  assert.equal(scorer.size, 0);
  scorer.addAll([visit, { ...visit, id: "a2" }]);
  assert.equal(scorer.size, 2);
  // Quality events go through upsertDeal; the maintainer rule is the core's.
  scorer.upsertDeal({ id: "D-1", maintainer: "m" });
  throwsCode(
    () => scorer.upsertDeal({ id: "D-1", maintainer: "m", quality_events: [{ indicator: "empathy", checked: true, by: "x", date: AS_OF }] }),
    "not_maintainer",
  );
  scorer.upsertDeal({ id: "D-1", maintainer: "m", quality_events: [{ indicator: "empathy", checked: true, by: "m", date: AS_OF }] });
  assert.deepEqual(scorer.report("D-1", AS_OF).quality.checked, ["empathy"]);
  throwsCode(() => scorer.report("D-1", "2026-13-01"), "invalid_date", RangeError);
});

test("explainActivity shows points before caps; normalizeTitle folds width and case", () => {
  const x = w.explainActivity(visit);
  assert.equal(x.energy, 54);
  assert.deepEqual(x.items.map((i) => i.kind), ["action", "action", "role", "attendees"]);
  assert.equal(w.normalizeTitle("  ＣＥＯ "), "ceo");
  assert.equal(w.normalizeTitle("ｼｬﾁｮｳ"), "シャチョウ");
});

test("the TypeScript declarations cover the serde shapes", async () => {
  const { readFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { pkgDir } = await import("./helpers.mjs");
  const dts = readFileSync(join(pkgDir, "node", "dealscore_wasm.d.ts"), "utf8");
  for (const name of ["Activity", "Deal", "DealReport", "Signal", "Explanation", "StaleReport", "QualityReport", "NextSteps", "ScoreRequest", "ModelFile", "DealscoreError"]) {
    assert.match(dts, new RegExp(`export (interface|type) ${name}\\b`), name);
  }
  assert.match(dts, /export function score\(request: ScoreRequest, model\?: Model \| null\): DealReport\[\];/);
  assert.match(dts, /constructor\(model\?: Model \| null, deals\?: Deal\[\] \| null\);/);
  assert.doesNotMatch(dts, /__dealscoreHandle/);
});

test("tokenize follows MODEL.md §8", () => {
  assert.deepEqual(w.tokenize("ＰＣの見積もりをAWSで"), ["pc", "の見", "見積", "積も", "もり", "りを", "aws", "で"]);
});

test("QaIndex over the shipped examples: search, ask and their JSON text", () => {
  const index = w.QaIndex.fromJsonl(ex.qaJsonl);
  assert.ok(index.size >= 60);
  const hits = index.search("初回面談のアポイントが取れない", "first_contact", 3);
  assert.ok(hits.length > 0 && hits.length <= 3);
  assert.equal(hits[0].id, "qa-001");
  assert.ok(hits[0].matched.includes("アポ"));
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score);
  const deal = ex.deals.find((d) => d.id === "D-1007");
  const request = { question: "稟議書の添付資料は何を用意すればよいですか", deal, k: 2 };
  const answer = index.ask(request);
  assert.equal(answer.stage, "approval");
  assert.deepEqual(answer, JSON.parse(index.askJson(JSON.stringify(request))));
  const none = index.ask({ question: "zzzzqqqq", deal });
  assert.equal(none.unanswered, true);
  assert.ok(none.ask.length > 0, "names the members who can answer");
  const fromArray = new w.QaIndex(ex.qaJsonl.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l)));
  assert.deepEqual(fromArray.search("見積", null, 5), index.search("見積", null, 5));
});

test("Q&A errors carry the core's codes", () => {
  const entry = { id: "q1", question: "質問", answer: "回答" };
  throwsCode(() => new w.QaIndex([entry, entry]), "duplicate_entry");
  throwsCode(() => new w.QaIndex([{ ...entry, question: "  " }]), "missing_question");
  throwsCode(() => new w.QaIndex([{ ...entry, extra: 1 }]), "invalid_input", TypeError);
  const index = new w.QaIndex([entry]);
  throwsCode(() => index.search("   "), "empty_question");
  throwsCode(() => index.ask({ question: "質問", stage: "nope" }), "unknown_stage");
});
