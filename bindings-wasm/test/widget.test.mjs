// The demo page in headless Chromium: a non-maintainer cannot edit quality, the maintainer checks
// a box and adds an activity, and the numbers on screen are the ones the wasm API computes for
// the same records (themselves pinned against a native run of the CLI). Saves desktop and phone
// screenshots into www/screenshots/ (git-ignored).
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { crateDir, examples, launchChromium, loadNode, serveRepo } from "./helpers.mjs";

const AS_OF = "2026-11-27";
const DEAL = "D-1003";
const MAINTAINER = "sato.m";
const OTHER = "ito.s"; // on the deal team, but not its maintainer
const EVENT = { indicator: "decision_maker", checked: true, by: MAINTAINER, date: AS_OF };
const ACTIVITY = {
  id: "WEB-0001",
  deal: DEAL,
  date: "2026-11-26",
  actions: ["visited_us"],
  contacts: [{ person: "森 健一", title: "部長", department: "経営企画部" }],
  reporter: MAINTAINER,
};
const shots = join(crateDir, "www", "screenshots");

// Expected numbers from the wasm API in Node, over the same records the page edits.
const w = loadNode();
const ex = examples();
const model = w.Model.fromJson(ex.modelJson);
const withEvent = ex.deals.map((d) => (d.id === DEAL ? { ...d, quality_events: [...d.quality_events, EVENT] } : d));
const reportOf = (deals, activities) => w.score({ deals, activities, as_of: AS_OF }, model).find((r) => r.deal === DEAL);
const initial = reportOf(ex.deals, ex.activities);
const checked = reportOf(withEvent, ex.activities);
const final = reportOf(withEvent, [...ex.activities, ACTIVITY]);
const finalStale = w.stale({ deals: withEvent, activities: [...ex.activities, ACTIVITY], as_of: AS_OF }, model);
const notice = w.onReport({ deals: withEvent, activities: ex.activities, report: ACTIVITY, as_of: AS_OF }, model);

const pct = (x) => `${Math.round(x * 100)}%`;
const fixed = (x) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

let server;
let browser;
let page;
const pageErrors = [];

/** Text and raw value of a `data-field` element inside the card. */
async function field(name) {
  const el = page.locator(`deal-energy-card [data-field="${name}"]`);
  return { text: (await el.textContent()).trim(), value: await el.getAttribute("data-value") };
}

async function assertNumbers(report) {
  assert.equal((await field("energy.total")).text, String(report.energy.total));
  assert.equal((await field("energy.decayed")).value, String(report.energy.decayed));
  assert.equal((await field("energy.decayed")).text, fixed(report.energy.decayed));
  assert.equal((await field("status")).text, report.status);
  assert.equal((await field("quality.score")).value, String(report.quality.score));
  assert.equal((await field("quality.score")).text, pct(report.quality.score));
  assert.equal((await field("quality.grade")).text, report.quality.grade);
  assert.equal((await field("axes.cumulative")).text, `${report.energy.total} / 150`);
  assert.equal((await field("axes.breadth")).text, pct(report.breadth.score));
  assert.equal((await field("axes.continuity")).text, pct(report.continuity.ratio));
  const signals = await page.locator("deal-energy-card [data-signal]").evaluateAll((els) => els.map((e) => e.dataset.signal));
  assert.deepEqual(signals, report.signals.map((s) => s.kind));
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await serveRepo();
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${server.origin}/bindings-wasm/www/index.html?deal=${DEAL}&viewer=${OTHER}&asOf=${AS_OF}`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  server?.close();
});

test("the wasm numbers agree with a native run of the CLI", () => {
  // `dealscore report --deals examples/deals.json --as-of 2026-11-27 --format json examples/activities.jsonl`
  assert.equal(initial.energy.total, 122);
  assert.equal(initial.quality.score, 0.7142857142857143);
  assert.equal(initial.quality.grade, "B");
  assert.equal(initial.status, "engage");
  assert.deepEqual(initial.signals.map((s) => s.kind), ["single_threaded"]);
  // The scenario moves the deal to close: the box lifts quality, the visit lifts energy.
  assert.equal(checked.quality.grade, "A");
  assert.equal(checked.status, "engage");
  assert.equal(final.energy.total, 152);
  assert.equal(final.status, "close");
  // onReport says the same: the maintainer reports, ito.s hears at once, watanabe.k in the digest.
  assert.deepEqual(notice.before, { total: 122, status: "engage", grade: "A" });
  assert.deepEqual(notice.after, { total: 152, status: "close", grade: "A" });
  assert.deepEqual(notice.recipients, { immediate: ["ito.s"], digest: ["watanabe.k"] });
  assert.deepEqual(
    notice.changes.map((c) => c.text),
    ["energy +30", "status engage → close", "top role reached: director", "route step covered: director", "signals cleared: single_threaded"],
  );
});

test("the card shows the initial numbers", async () => {
  await assertNumbers(initial);
  assert.equal(await page.locator("deal-energy-card h2").textContent(), "合同会社さくらデザイン");
});

test("a non-maintainer cannot edit the quality checklist", async () => {
  const boxes = page.locator("deal-energy-card input[data-indicator]");
  assert.equal(await boxes.count(), 5);
  for (const box of await boxes.all()) assert.equal(await box.isDisabled(), true);
  assert.equal((await field("quality.editable")).value, "false");
  assert.match((await field("quality.editable")).text, /sato\.m/);
  // Clicking does nothing …
  await page.locator('deal-energy-card input[data-indicator="decision_maker"]').click({ force: true });
  assert.equal(await page.locator('deal-energy-card input[data-indicator="decision_maker"]').isChecked(), false);
  await assertNumbers(initial);
  // … and going around the widget, the core itself refuses the event.
  const code = await page.evaluate(
    ([deal, by, date]) => {
      try {
        document.getElementById("card").book.setQuality(deal, "decision_maker", true, { by, date });
        return "accepted";
      } catch (e) {
        return e.code;
      }
    },
    [DEAL, OTHER, AS_OF],
  );
  assert.equal(code, "not_maintainer");
  await assertNumbers(initial);
});

test("the maintainer checks a box and the deal is re-scored live", async () => {
  await page.selectOption("#viewer", MAINTAINER);
  const box = page.locator('deal-energy-card input[data-indicator="decision_maker"]');
  assert.equal(await box.isDisabled(), false);
  assert.equal((await field("quality.editable")).value, "true");
  await box.check();
  await page.waitForFunction(
    (score) => document.getElementById("card").shadowRoot.querySelector('[data-field="quality.score"]')?.dataset.value === score,
    String(checked.quality.score),
  );
  await assertNumbers(checked);
  assert.equal(await page.locator('deal-energy-card input[data-indicator="decision_maker"]').isChecked(), true);
  // Focus stays on the box just toggled, and screen readers hear the new numbers.
  assert.equal(await page.evaluate(() => document.getElementById("card").shadowRoot.activeElement?.dataset.indicator), "decision_maker");
  assert.match((await field("announce")).text, /再計算しました/);
});

test("adding an activity re-scores the card and the stale list", async () => {
  await page.locator("#actions input[value=visited_us]").check();
  await page.fill("#a-date", ACTIVITY.date);
  await page.fill("#a-person", ACTIVITY.contacts[0].person);
  await page.fill("#a-title", ACTIVITY.contacts[0].title);
  await page.fill("#a-department", ACTIVITY.contacts[0].department);
  await page.click("form#add button[type=submit]");
  await page.waitForFunction(
    (total) => document.getElementById("card").shadowRoot.querySelector('[data-field="energy.total"]')?.textContent === total,
    String(final.energy.total),
  );
  await assertNumbers(final);
  assert.equal(await page.textContent("#add-status"), "WEB-0001 を追加しました（+30点）");
  // The change summary: the core's changes in order, in Japanese, and who is notified.
  const changes = page.locator("#add-notice li");
  assert.deepEqual(await changes.evaluateAll((els) => els.map((e) => e.dataset.text)), notice.changes.map((c) => c.text));
  assert.deepEqual(await changes.allTextContents(), [
    "エネルギー +30（122 → 152）",
    "ステータス engage → close",
    "最上位の役職: 部長",
    "稟議ルートに到達: 部長",
    "解消した警告: single_threaded",
  ]);
  assert.equal(await page.textContent("#add-notice .recipients"), "通知先: 即時 ito.s／まとめ watanabe.k");
  // The explain view lists the new activity first with its points per item.
  await page.locator("deal-energy-card summary").click();
  const first = page.locator("deal-energy-card ol.explain > li").first();
  assert.equal(await first.getAttribute("data-activity"), "WEB-0001");
  assert.deepEqual(await first.locator(".items li").allTextContents(), ["来社 +20", "部長 +10"]);
  // The stale list is the core's, in the core's order.
  const rows = await page.locator("deal-stale-list tbody tr").evaluateAll((els) => els.map((e) => e.dataset.deal));
  assert.deepEqual(rows, finalStale.deals.map((r) => r.deal));
  assert.deepEqual(pageErrors, []);
});

test("labels come from the model, in Japanese", async () => {
  const labels = await page.locator("deal-energy-card .checks label").allTextContents();
  assert.deepEqual(
    labels.map((l) => l.replace(/\s+/g, " ").trim()),
    ["紹介案件 (重み1)", "共感 (重み1)", "予算確保 (重み2)", "決裁者接触 (重み2)", "競合優位 (重み1)"],
  );
  // The route chips: the model's role labels, marked as the final report covers them.
  const roleLabel = new Map(model.toJSON().roles.map((r) => [r.id, r.label]));
  const covered = new Set(final.breadth.route.covered.map((s) => s.role));
  const route = await page.locator("deal-energy-card .chips li").allTextContents();
  assert.deepEqual(
    route.map((r) => r.split(":")[0].trim()),
    final.breadth.route.steps.map((s) => `${covered.has(s.role) ? "✓" : "✗"} ${roleLabel.get(s.role)}`),
  );
  assert.ok(route.some((r) => r.includes("経営層")));
});

test("screen-reader labels and contrast", async () => {
  const report = await page.evaluate(() => {
    const root = document.getElementById("card").shadowRoot;
    const unlabeled = [...root.querySelectorAll("input")].filter((i) => !i.labels?.length).map((i) => i.id);
    const svgs = [...root.querySelectorAll("svg")].map((s) => [s.getAttribute("role"), s.getAttribute("aria-label")]);
    const meters = [...root.querySelectorAll("[role=meter]")].map((m) => [m.getAttribute("aria-label"), m.getAttribute("aria-valuetext")]);
    // WCAG contrast of every element with its own text against its effective background.
    const rgb = (s) => s.match(/[\d.]+/g).map(Number);
    const lum = ([r, g, b]) =>
      [r, g, b].map((c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)).reduce((a, c, i) => a + c * [0.2126, 0.7152, 0.0722][i], 0);
    const background = (el) => {
      for (let e = el; e; e = e.parentElement ?? e.getRootNode().host) {
        const c = getComputedStyle(e).backgroundColor;
        if (rgb(c)[3] !== 0 && c !== "transparent") return rgb(c);
      }
      return [255, 255, 255];
    };
    const low = [];
    for (const el of root.querySelectorAll("*")) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || el.closest(".sr-only") || el.matches("style")) continue;
      const style = getComputedStyle(el);
      const [a, b] = [lum(rgb(style.color)), lum(background(el))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) low.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 20)}" ${ratio.toFixed(2)}`);
    }
    return { unlabeled, svgs, meters, low, heading: root.querySelector("article").getAttribute("aria-labelledby") };
  });
  assert.deepEqual(report.unlabeled, []);
  assert.equal(report.heading, "deal-title");
  assert.equal(report.svgs.length, 1);
  assert.equal(report.svgs[0][0], "img");
  assert.match(report.svgs[0][1], /エネルギー/);
  assert.equal(report.meters.length, 3);
  for (const [label, text] of report.meters) assert.ok(label && text);
  assert.deepEqual(report.low, []);
});

test("desktop screenshot", async () => {
  await page.screenshot({ path: join(shots, "desktop.png"), fullPage: true });
});

test("phone layout at 360×740", async () => {
  const phone = await browser.context.newPage();
  try {
    phone.on("pageerror", (e) => pageErrors.push(String(e)));
    await phone.setViewportSize({ width: 360, height: 740 });
    await phone.goto(`${server.origin}/bindings-wasm/www/index.html?deal=${DEAL}&viewer=${MAINTAINER}&asOf=${AS_OF}`);
    await phone.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
    // Nothing wider than the screen, one column, and tap targets of a usable size.
    assert.equal(await phone.evaluate(() => document.documentElement.scrollWidth), 360);
    const boxes = await phone.locator("deal-energy-card .checks label").evaluateAll((els) => els.map((e) => e.getBoundingClientRect()));
    for (const r of boxes) {
      assert.ok(r.height >= 40, `checklist row ${r.height}px high`);
      assert.ok(r.right <= 360, "checklist row inside the screen");
    }
    const card = await phone.locator("deal-energy-card").boundingBox();
    assert.ok(card.width <= 360 && card.x >= 0);
    assert.equal((await phone.locator('deal-energy-card [data-field="energy.total"]').textContent()).trim(), String(initial.energy.total));
    await phone.screenshot({ path: join(shots, "phone.png") });
    await phone.screenshot({ path: join(shots, "phone-full.png"), fullPage: true });
    assert.deepEqual(pageErrors, []);
  } finally {
    await phone.close();
  }
});
