// The demo page: loads the shipped examples, scores them in the browser through dealscore-wasm
// and wires the controls to <deal-energy-card> and <deal-stale-list>. URL parameters `deal`,
// `viewer`, `asOf` and `lang` pick the initial state.
import init, * as wasm from "../pkg/web/dealscore_wasm.js";
import { DealBook } from "./deal-book.js";
import "./deal-energy-card.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

async function text(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.text();
}

await init();
// The wasm package reads models from JSON only; core/data/default_model.json is the JSON twin of
// examples/model.toml (the embedded default), checked by core/tests/files.rs.
const [modelJson, dealsJson, activitiesJsonl] = await Promise.all([
  text("../../core/data/default_model.json"),
  text("../../examples/deals.json"),
  text("../../examples/activities.jsonl"),
]);
const model = wasm.Model.fromJson(modelJson);
const book = new DealBook(wasm, {
  model,
  deals: JSON.parse(dealsJson),
  activities: activitiesJsonl.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l)),
});

const card = $("card");
const stale = $("stale");
const state = {
  deal: params.get("deal") ?? book.dealIds()[0],
  viewer: params.get("viewer") ?? "",
  asOf: params.get("asOf") ?? "2026-11-27",
  lang: params.get("lang") ?? "ja",
};

// Controls.
for (const id of book.dealIds()) {
  const deal = book.deal(id);
  $("deal").add(new Option(`${id} ${deal.customer ?? ""}`, id));
}
const users = new Set();
for (const d of book.deals) {
  if (d.maintainer) users.add(d.maintainer);
  for (const m of d.members ?? []) users.add(m.user);
}
$("viewer").add(new Option("（未ログイン）", ""));
for (const u of [...users].sort()) $("viewer").add(new Option(u, u));
const defaults = book.modelFor(state.deal);
for (const a of defaults.actions) {
  const label = document.createElement("label");
  label.innerHTML = `<input type="checkbox" name="action" value="${a.id}"><span></span>`;
  label.querySelector("span").textContent = a.label;
  $("actions").append(label);
}
for (const r of defaults.roles) $("titles").append(new Option(r.label));

function apply() {
  $("deal").value = state.deal;
  $("viewer").value = state.viewer;
  $("as-of").value = state.asOf;
  $("lang").value = state.lang;
  if (!$("a-date").value) $("a-date").value = state.asOf;
  for (const el of [card, stale]) {
    el.setAttribute("as-of", state.asOf);
    el.setAttribute("lang", state.lang);
  }
  card.setAttribute("deal", state.deal);
  card.setAttribute("viewer", state.viewer);
  document.documentElement.lang = state.lang;
  $("reporter-note").textContent = state.viewer ? `報告者: ${state.viewer}` : "報告者なし（未ログイン）";
}

$("deal").addEventListener("change", (e) => { state.deal = e.target.value; apply(); });
$("viewer").addEventListener("change", (e) => { state.viewer = e.target.value; apply(); });
$("as-of").addEventListener("change", (e) => { if (e.target.value) { state.asOf = e.target.value; apply(); } });
$("lang").addEventListener("change", (e) => { state.lang = e.target.value; apply(); });
stale.addEventListener("deal-select", (e) => {
  state.deal = e.detail.deal;
  apply();
  card.scrollIntoView({ block: "start" });
});

// The change summary of a new report (`onReport`): each change in the page's language from its
// structured fields (the core's own English words are in `data-text`), and who is notified.
const NOTICE = {
  ja: {
    title: "この報告で変わったこと",
    none: "変化はありません",
    energy: (c) => `エネルギー +${c.to - c.from}（${c.from} → ${c.to}）`,
    status: (c) => `ステータス ${c.from} → ${c.to}`,
    top_role: (c, role) => (c.to ? `最上位の役職: ${role(c.to)}` : `最上位の役職: なし（${role(c.from)}）`),
    route_step_covered: (c, role) => `稟議ルートに到達: ${step(c.step, role)}`,
    route_step_uncovered: (c, role) => `稟議ルートから外れた: ${step(c.step, role)}`,
    signals_cleared: (c) => `解消した警告: ${c.signals.join(", ")}`,
    new_signals: (c) => `新しい警告: ${c.signals.join(", ")}`,
    recipients: (now, digest) => `通知先: 即時 ${now.join(", ") || "なし"}／まとめ ${digest.join(", ") || "なし"}`,
  },
  en: {
    title: "What this report changed",
    none: "Nothing changed",
    recipients: (now, digest) => `Notify now: ${now.join(", ") || "nobody"}; in the digest: ${digest.join(", ") || "nobody"}`,
  },
};

function step(s, role) {
  return [s.role && role(s.role), s.department, s.person].filter(Boolean).join(" / ");
}

function showNotice(notice) {
  const words = NOTICE[state.lang] ?? NOTICE.ja;
  const labels = new Map(book.modelFor(state.deal).roles.map((r) => [r.id, r.label]));
  const role = (id) => labels.get(id) ?? id;
  const box = $("add-notice");
  box.querySelector("h3").textContent = words.title;
  const list = box.querySelector("ul");
  list.replaceChildren(
    ...notice.changes.map((c) => {
      const li = document.createElement("li");
      li.dataset.kind = c.kind;
      li.dataset.text = c.text;
      li.textContent = words[c.kind]?.(c, role) ?? c.text;
      return li;
    }),
  );
  if (!notice.changes.length) list.append(Object.assign(document.createElement("li"), { textContent: words.none }));
  const who = box.querySelector(".recipients");
  who.dataset.immediate = notice.recipients.immediate.join(",");
  who.dataset.digest = notice.recipients.digest.join(",");
  who.textContent = words.recipients(notice.recipients.immediate, notice.recipients.digest);
  box.hidden = false;
}

let added = 0;
$("add").addEventListener("submit", (e) => {
  e.preventDefault();
  const status = $("add-status");
  const contact = Object.fromEntries(
    [["person", "a-person"], ["title", "a-title"], ["department", "a-department"]]
      .map(([k, id]) => [k, $(id).value.trim()])
      .filter(([, v]) => v),
  );
  const activity = {
    id: `WEB-${String(++added).padStart(4, "0")}`,
    deal: state.deal,
    date: $("a-date").value,
    actions: [...document.querySelectorAll("input[name=action]:checked")].map((x) => x.value),
    contacts: Object.keys(contact).length ? [contact] : [],
    ...($("a-attendees").value ? { attendees: Number($("a-attendees").value) } : {}),
    ...(state.viewer ? { reporter: state.viewer } : {}),
  };
  try {
    const notice = book.notice(activity, state.asOf);
    book.addActivity(activity);
    showNotice(notice);
    const explained = book.explain(state.deal, state.asOf).find((x) => x.activity === activity.id);
    status.className = "status";
    status.textContent = explained
      ? `${activity.id} を追加しました（+${explained.energy}点）`
      : `${activity.id} を追加しました（基準日より後のため未計上）`;
    e.target.reset();
    $("a-date").value = state.asOf;
  } catch (err) {
    added--;
    $("add-notice").hidden = true;
    status.className = "status error";
    status.textContent = `${err.code}: ${err.message}`;
  }
});

apply();
card.book = book;
stale.book = book;
document.body.dataset.ready = "true";
