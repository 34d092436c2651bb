// <deal-energy-card> and <deal-stale-list>: dependency-free custom elements that show what the
// dealscore core computes. Every number on screen comes from the wasm API through a DealBook
// (deal-book.js); this file only lays numbers out, scales bars and picks labels.
//
//   <deal-energy-card deal="D-1003" as-of="2026-11-27" viewer="sato.m"></deal-energy-card>
//   card.book = new DealBook(wasm, {model, deals, activities});
//
// Attributes: deal, as-of (YYYY-MM-DD), viewer (user id; only the deal's maintainer may edit the
// quality checklist), lang ("ja" default, or "en" for the widget's own words; model labels are
// shown as the model writes them).

const TEXT = {
  ja: {
    energy: "ユーザエネルギー",
    total: "累計",
    decayed: "減衰後",
    lastContact: "最終接触",
    never: "なし",
    days: (n) => `${n}日前`,
    axes: "3つの軸",
    cumulative: "累計",
    breadth: "多面的接触",
    continuity: "継続性",
    threshold: "しきい値",
    route: "稟議ルート",
    covered: "到達",
    missing: "未到達",
    noRoute: "ルートなし（役職の到達率）",
    series: (n, d) => `直近${n}期間（${d}日ごと）のエネルギー`,
    active: (a, n) => `${a}/${n}期間で活動`,
    streak: (n) => `連続${n}期間`,
    quality: "商談クオリティ",
    grade: "グレード",
    needsReview: "要レビュー",
    reviewed: "レビュー済み",
    canEdit: "あなたがメンテナです。チェックすると即時に再計算されます。",
    readOnly: (m) => `編集できるのはメンテナ（${m}）のみです。`,
    noViewer: "閲覧者が指定されていないため編集できません。",
    weight: (w) => `重み${w}`,
    status: "商談ステータス",
    statusHint: { close: "決裁へ押し進める", qualify: "商談の弱点を補強する", engage: "接触を増やす", review: "取り組みを見直す" },
    signals: "シグナル",
    noSignals: "警告はありません",
    signal: {
      no_energy: "エネルギーが途絶えている",
      declining: "減少傾向",
      top_role_absent: "最上位の役職が不在",
      single_threaded: "窓口が一人だけ",
      route_gap: "稟議ルートの到達不足",
    },
    evidence: {
      days_since_last: "最終からの日数",
      stale_days: "しきい値（日）",
      slope: "傾き",
      older: "前半の合計",
      newer: "後半の合計",
      role: "役職",
      last_seen: "最終接触日",
      person: "人物",
      coverage: "到達率",
      missing: "未到達のステップ数",
    },
    explain: "活動ごとの内訳",
    explainCount: (n) => `${n}件の活動`,
    points: "点",
    attendees: (n) => `参加${n}名以上`,
    noActivity: "活動はまだありません",
    stale: "未接触リスト",
    staleCount: (n, s) => `${n}件（スヌーズ中 ${s}件）`,
    lastDate: "最終日",
    daysSince: "経過日数",
    staleDays: "しきい値",
    basis: { contact: "すべての接触", energy: "エネルギーのある接触" },
    basisLabel: "基準",
    recomputed: "再計算しました",
    deal: "商談",
    open: "開く",
  },
  en: {
    energy: "Customer energy",
    total: "Total",
    decayed: "Decayed",
    lastContact: "Last contact",
    never: "never",
    days: (n) => `${n} days ago`,
    axes: "Three axes",
    cumulative: "Cumulative",
    breadth: "Breadth",
    continuity: "Continuity",
    threshold: "threshold",
    route: "Approval route",
    covered: "reached",
    missing: "missing",
    noRoute: "no route (share of roles reached)",
    series: (n, d) => `Energy over the last ${n} periods of ${d} days`,
    active: (a, n) => `active in ${a} of ${n} periods`,
    streak: (n) => `streak ${n}`,
    quality: "Deal quality",
    grade: "Grade",
    needsReview: "needs review",
    reviewed: "reviewed",
    canEdit: "You maintain this checklist; a change re-scores at once.",
    readOnly: (m) => `Only the maintainer (${m}) can edit.`,
    noViewer: "No viewer given, so nothing can be edited.",
    weight: (w) => `weight ${w}`,
    status: "Status",
    statusHint: { close: "push to decision", qualify: "fix the deal's weaknesses", engage: "raise contact", review: "reconsider the effort" },
    signals: "Signals",
    noSignals: "No warnings",
    signal: {
      no_energy: "No energy lately",
      declining: "Declining",
      top_role_absent: "Top role gone quiet",
      single_threaded: "Single-threaded",
      route_gap: "Approval route gap",
    },
    evidence: {
      days_since_last: "days since last",
      stale_days: "stale days",
      slope: "slope",
      older: "older half",
      newer: "newer half",
      role: "role",
      last_seen: "last seen",
      person: "person",
      coverage: "coverage",
      missing: "missing steps",
    },
    explain: "Points per activity",
    explainCount: (n) => `${n} activities`,
    points: "pt",
    attendees: (n) => `${n}+ attendees`,
    noActivity: "No activity yet",
    stale: "Stale deals",
    staleCount: (n, s) => `${n} deal${n === 1 ? "" : "s"} (${s} snoozed)`,
    lastDate: "Last date",
    daysSince: "Days since",
    staleDays: "Threshold",
    basis: { contact: "any contact", energy: "energy-bearing contact" },
    basisLabel: "Basis",
    recomputed: "Recomputed",
    deal: "Deal",
    open: "Open",
  },
};

const esc = (v) =>
  String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** A number as shown: integers as they are, fractions with `digits` decimals. */
const num = (x, digits = 1) => (Number.isInteger(x) ? String(x) : x.toFixed(digits));
/** A ratio in [0, 1] as a whole percentage. */
const pct = (x) => (x === null || x === undefined ? "—" : `${Math.round(x * 100)}%`);

/** Labels of the deal's model, looked up by id (the id itself when the model has no label). */
function labels(model) {
  const byId = (list) => new Map((list ?? []).map((x) => [x.id, x.label]));
  const actions = byId(model.actions);
  const roles = byId(model.roles);
  const indicators = byId(model.quality?.indicators);
  const stages = byId(model.process?.stages);
  const statusLabels = model.status?.labels ?? {};
  return {
    action: (id) => actions.get(id) ?? id,
    role: (id) => roles.get(id) ?? id,
    indicator: (id) => indicators.get(id) ?? id,
    stage: (id) => stages.get(id) ?? id,
    /** The status id (`close` …) of a status label as printed in a report. */
    statusId: (label) => Object.keys(statusLabels).find((k) => statusLabels[k] === label) ?? label,
    step: (s) => [s.role && (roles.get(s.role) ?? s.role), s.department, s.person].filter(Boolean).join(" / "),
  };
}

const BASE_CSS = `
  :host { display: block; container-type: inline-size; color: #1a1a1a; background: #fff;
    font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK JP", "Hiragino Sans", sans-serif; }
  * { box-sizing: border-box; }
  h2, h3 { margin: 0; line-height: 1.3; }
  h2 { font-size: 1.15rem; }
  h3 { font-size: 0.95rem; color: #33373d; margin-bottom: 0.4rem; }
  p { margin: 0; }
  .muted { color: #4a4f57; font-size: 0.85rem; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  :focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
`;

const CARD_CSS = `
  ${BASE_CSS}
  article { border: 1px solid #c4c7cc; border-radius: 12px; padding: 14px; display: grid; gap: 14px; }
  header { display: flex; flex-wrap: wrap; align-items: flex-start; justify-content: space-between; gap: 8px; }
  .status { display: inline-flex; flex-direction: column; align-items: flex-end; text-align: right; }
  .badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 700; font-size: 0.9rem; }
  .badge.close { background: #0d6b2f; color: #fff; }
  .badge.qualify { background: #ffd76a; color: #3d2c00; }
  .badge.engage { background: #0b57d0; color: #fff; }
  .badge.review { background: #5f6368; color: #fff; }
  section { border-top: 1px solid #e3e5e8; padding-top: 10px; min-width: 0; }
  .grid { display: grid; gap: 14px; grid-template-columns: 1fr; }
  @container (min-width: 640px) {
    .grid { grid-template-columns: 1fr 1fr; }
    .wide { grid-column: 1 / -1; }
  }
  .kpis { display: flex; flex-wrap: wrap; gap: 6px 20px; align-items: baseline; }
  .big { font-size: 2.2rem; font-weight: 700; line-height: 1.1; }
  .kpi-label { display: block; font-size: 0.8rem; color: #4a4f57; }
  .spark { width: 100%; height: 56px; display: block; margin-top: 6px; }
  .bars { display: grid; gap: 10px; }
  .bar-row { display: grid; grid-template-columns: 6.5em 1fr auto; gap: 8px; align-items: center; }
  .track { position: relative; height: 14px; background: #e3e5e8; border-radius: 7px; overflow: hidden; }
  .fill { position: absolute; inset: 0 auto 0 0; background: #0b57d0; border-radius: 7px; }
  .mark { position: absolute; top: -2px; bottom: -2px; width: 2px; background: #1a1a1a; }
  .bar-value { font-variant-numeric: tabular-nums; font-weight: 600; min-width: 4.5em; text-align: right; }
  .chips { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; padding: 0; list-style: none; }
  .chip { border-radius: 6px; padding: 1px 8px; font-size: 0.85rem; border: 1px solid; }
  .chip.ok { background: #e6f4ea; border-color: #0d6b2f; color: #0b4f23; }
  .chip.no { background: #fff; border-color: #8a4b00; color: #7a4200; border-style: dashed; }
  fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
  legend { padding: 0; font-weight: 600; font-size: 0.95rem; color: #33373d; margin-bottom: 4px; }
  .grade { font-size: 1.6rem; font-weight: 700; margin-right: 6px; }
  .checks { list-style: none; margin: 6px 0; padding: 0; display: grid; gap: 2px; }
  .checks label { display: flex; align-items: center; gap: 10px; min-height: 40px; padding: 2px 4px; border-radius: 6px; }
  .checks input { width: 22px; height: 22px; margin: 0; accent-color: #0b57d0; flex: none; }
  .checks input:disabled + span { color: #4a4f57; }
  .note { font-size: 0.85rem; color: #4a4f57; }
  .note.editable { color: #0b4f23; }
  .signals { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
  .signal { border-left: 4px solid #8a4b00; background: #fff6e5; padding: 4px 8px; border-radius: 0 6px 6px 0; }
  .signal strong { color: #5c3200; }
  .evidence { margin: 2px 0 0; display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 0.85rem; }
  .evidence dt { color: #4a4f57; }
  .evidence dd { margin: 0 0 0 4px; font-weight: 600; }
  .evidence div { display: flex; }
  details summary { cursor: pointer; font-weight: 600; min-height: 32px; display: flex; align-items: center; }
  .explain { list-style: none; margin: 6px 0 0; padding: 0; display: grid; gap: 6px; max-height: 320px; overflow: auto; }
  .explain > li { border: 1px solid #e3e5e8; border-radius: 8px; padding: 6px 8px; }
  .explain .head { display: flex; justify-content: space-between; gap: 8px; font-weight: 600; }
  .items { display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 0.85rem; color: #33373d; margin: 0; padding: 0; list-style: none; }
  .error { color: #a50e0e; font-weight: 600; }
`;

function sparkline(series, label) {
  const w = 240;
  const h = 56;
  const max = Math.max(1, ...series);
  const pad = 5;
  const step = series.length > 1 ? (w - 2 * pad) / (series.length - 1) : 0;
  const pts = series.map((v, i) => [pad + i * step, h - pad - (v / max) * (h - 2 * pad)]);
  const line = pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
  const area = `${pad},${h} ${line} ${(pts.at(-1)?.[0] ?? pad).toFixed(1)},${h}`;
  const [lx, ly] = pts.at(-1) ?? [0, h];
  return `<svg class="spark" viewBox="0 0 ${w} ${h}" preserveAspectRatio="none" role="img" aria-label="${esc(label)}">
    <polygon points="${area}" fill="#d3e3fd"></polygon>
    <polyline points="${line}" fill="none" stroke="#0b57d0" stroke-width="2" vector-effect="non-scaling-stroke"></polyline>
    <line x1="${lx}" y1="${ly}" x2="${lx}" y2="${ly}" stroke="#0b57d0" stroke-width="7" stroke-linecap="round" vector-effect="non-scaling-stroke"></line>
  </svg>`;
}

/** A horizontal bar; `value` and `max` only scale the drawing, `text` is what is read. */
function bar({ name, value, max, text, mark, field }) {
  const width = max > 0 ? Math.min(1, value / max) * 100 : 0;
  const markAt = mark !== undefined && max > 0 ? Math.min(1, mark / max) * 100 : undefined;
  return `<div class="bar-row">
    <span>${esc(name)}</span>
    <div class="track" role="meter" aria-label="${esc(name)}" aria-valuemin="0" aria-valuemax="${max}" aria-valuenow="${value}" aria-valuetext="${esc(text)}">
      <div class="fill" style="width:${width.toFixed(1)}%"></div>
      ${markAt === undefined ? "" : `<div class="mark" style="left:calc(${markAt.toFixed(1)}% - 1px)"></div>`}
    </div>
    <span class="bar-value" data-field="${field}">${esc(text)}</span>
  </div>`;
}

export class DealEnergyCard extends HTMLElement {
  static observedAttributes = ["deal", "as-of", "viewer", "lang"];
  #book;
  #onChange = (e) => {
    if (!e.detail?.deal || e.detail.deal === this.dealId) this.#render({ announce: true });
  };
  #error = "";

  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this.shadowRoot.addEventListener("change", (e) => this.#onToggle(e));
  }

  get book() {
    return this.#book;
  }

  set book(book) {
    this.#book?.removeEventListener("change", this.#onChange);
    this.#book = book;
    book?.addEventListener("change", this.#onChange);
    this.#render();
  }

  get dealId() {
    return this.getAttribute("deal") ?? "";
  }
  get asOf() {
    return this.getAttribute("as-of") ?? "";
  }
  get viewer() {
    return this.getAttribute("viewer") ?? "";
  }
  get t() {
    return TEXT[this.getAttribute("lang")] ?? TEXT.ja;
  }

  attributeChangedCallback() {
    this.#error = "";
    this.#render();
  }

  connectedCallback() {
    this.#render();
  }

  disconnectedCallback() {
    this.#book?.removeEventListener("change", this.#onChange);
  }

  #onToggle(e) {
    const box = e.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset.indicator) return;
    try {
      this.#error = "";
      this.#book.setQuality(this.dealId, box.dataset.indicator, box.checked, { by: this.viewer, date: this.asOf });
    } catch (err) {
      // The core refused (e.g. not_maintainer): show why and put the box back.
      this.#error = `${err.code ?? "error"}: ${err.message}`;
      this.#render();
    }
    this.shadowRoot.getElementById(box.id)?.focus();
  }

  #render({ announce = false } = {}) {
    const root = this.shadowRoot;
    if (!this.#book || !this.dealId || !this.asOf || !this.isConnected) {
      root.innerHTML = `<style>${CARD_CSS}</style>`;
      return;
    }
    const t = this.t;
    let report;
    let explain;
    try {
      report = this.#book.report(this.dealId, this.asOf);
      explain = this.#book.explain(this.dealId, this.asOf);
    } catch (err) {
      root.innerHTML = `<style>${CARD_CSS}</style><p class="error" role="alert">${esc(err.code)}: ${esc(err.message)}</p>`;
      return;
    }
    const deal = this.#book.deal(this.dealId);
    const model = this.#book.modelFor(this.dealId);
    const L = labels(model);
    const statusId = L.statusId(report.status);
    const e = report.energy;
    const b = report.breadth;
    const c = report.continuity;
    const q = report.quality;
    const threshold = model.status.energy_threshold;
    const editable = this.#book.canMaintain(this.dealId, this.viewer);
    const titleId = "deal-title";

    const route = b.route.coverage === null
      ? `<p class="muted">${esc(t.noRoute)}</p>`
      : `<ul class="chips" aria-label="${esc(t.route)}">
          ${b.route.steps
            .map((s) => {
              const ok = b.route.covered.some((x) => JSON.stringify(x) === JSON.stringify(s));
              return `<li class="chip ${ok ? "ok" : "no"}">${ok ? "✓" : "✗"} ${esc(L.step(s))}<span class="sr-only">: ${esc(ok ? t.covered : t.missing)}</span></li>`;
            })
            .join("")}
        </ul>`;

    const checklist = q === null
      ? ""
      : `<section aria-labelledby="q-title">
          <h3 id="q-title">${esc(t.quality)}</h3>
          <p><span class="grade" data-field="quality.grade" aria-label="${esc(t.grade)} ${esc(q.grade ?? "—")}">${esc(q.grade ?? "—")}</span>
             <span data-field="quality.score" data-value="${q.score}">${pct(q.score)}</span>
             <span class="muted" data-field="quality.needs_review">· ${esc(q.needs_review ? t.needsReview : t.reviewed)}</span></p>
          <fieldset ${editable ? "" : "disabled"} aria-describedby="q-note">
            <legend class="sr-only">${esc(t.quality)}</legend>
            <ul class="checks">
              ${(model.quality?.indicators ?? [])
                .map((ind) => {
                  const on = q.checked.includes(ind.id);
                  const id = `q-${ind.id}`;
                  return `<li><label for="${esc(id)}"><input type="checkbox" id="${esc(id)}" data-indicator="${esc(ind.id)}" ${on ? "checked" : ""} ${editable ? "" : "disabled"}>
                    <span>${esc(ind.label)} <span class="muted">(${esc(t.weight(ind.weight ?? 1))})</span></span></label></li>`;
                })
                .join("")}
            </ul>
          </fieldset>
          <p id="q-note" class="note ${editable ? "editable" : ""}" data-field="quality.editable" data-value="${editable}">${esc(
            editable ? t.canEdit : this.viewer ? t.readOnly(deal.maintainer) : t.noViewer,
          )}</p>
          ${this.#error ? `<p class="error" role="alert">${esc(this.#error)}</p>` : ""}
        </section>`;

    const signals = report.signals.length === 0
      ? `<p class="muted">${esc(t.noSignals)}</p>`
      : `<ul class="signals">${report.signals
          .map(({ kind, ...evidence }) => {
            const rows = Object.entries(evidence)
              .map(([k, v]) => {
                const shown = k === "role" ? L.role(v) : typeof v === "number" ? num(v, 2) : v ?? "—";
                return `<div><dt>${esc(t.evidence[k] ?? k)}</dt><dd>${esc(shown)}</dd></div>`;
              })
              .join("");
            return `<li class="signal" data-signal="${esc(kind)}"><strong>${esc(t.signal[kind] ?? kind)}</strong><dl class="evidence">${rows}</dl></li>`;
          })
          .join("")}</ul>`;

    const itemLabel = (it) => (it.kind === "action" ? L.action(it.id) : it.kind === "role" ? L.role(it.id) : t.attendees(it.id));
    const explainList = explain.length === 0
      ? `<p class="muted">${esc(t.noActivity)}</p>`
      : `<ol class="explain" reversed>${explain
          .slice()
          .reverse()
          .map(
            (x) => `<li data-activity="${esc(x.activity)}"><div class="head"><span>${esc(x.date)} · ${esc(x.activity)}</span><span>${x.energy} ${esc(t.points)}</span></div>
              <ul class="items">${x.items.map((it) => `<li>${esc(itemLabel(it))} +${it.points}</li>`).join("")}</ul></li>`,
          )
          .join("")}</ol>`;

    const stage = deal.stage ? ` · ${esc(L.stage(deal.stage))}` : "";
    root.innerHTML = `<style>${CARD_CSS}</style>
      <article aria-labelledby="${titleId}">
        <header>
          <div>
            <h2 id="${titleId}">${esc(deal.customer ?? deal.id)}</h2>
            <p class="muted">${esc(deal.id)}${stage} · ${esc(report.as_of)}</p>
          </div>
          <div class="status">
            <span class="kpi-label">${esc(t.status)}</span>
            <span class="badge ${esc(statusId)}" data-field="status">${esc(report.status)}</span>
            <span class="muted">${esc(t.statusHint[statusId] ?? "")}</span>
          </div>
        </header>
        <div class="grid">
          <section aria-labelledby="e-title">
            <h3 id="e-title">${esc(t.energy)}</h3>
            <div class="kpis">
              <p><span class="kpi-label">${esc(t.total)}</span><span class="big" data-field="energy.total" data-value="${e.total}">${e.total}</span></p>
              <p><span class="kpi-label">${esc(t.decayed)}</span><span data-field="energy.decayed" data-value="${e.decayed}">${num(e.decayed)}</span></p>
              <p><span class="kpi-label">${esc(t.lastContact)}</span><span data-field="last_contact">${esc(report.last_contact ?? t.never)}</span></p>
            </div>
            ${sparkline(c.series, `${t.series(c.series.length, c.period_days)}: ${c.series.join(", ")}`)}
            <p class="muted"><span data-field="continuity.active">${esc(t.active(c.active_periods, c.series.length))}</span> · ${esc(t.streak(c.streak))}${
              c.days_since_last === null ? "" : ` · ${esc(t.days(c.days_since_last))}`
            }</p>
          </section>
          <section aria-labelledby="a-title">
            <h3 id="a-title">${esc(t.axes)}</h3>
            <div class="bars">
              ${bar({ name: t.cumulative, value: e.total, max: Math.max(e.total, threshold), mark: threshold, text: `${e.total} / ${threshold}`, field: "axes.cumulative" })}
              ${bar({ name: t.breadth, value: b.score, max: 1, text: pct(b.score), field: "axes.breadth" })}
              ${bar({ name: t.continuity, value: c.ratio, max: 1, text: pct(c.ratio), field: "axes.continuity" })}
            </div>
            ${route}
          </section>
          ${checklist}
          <section aria-labelledby="s-title">
            <h3 id="s-title">${esc(t.signals)}</h3>
            ${signals}
          </section>
          <section class="wide" aria-labelledby="x-title">
            <details>
              <summary id="x-title">${esc(t.explain)} <span class="muted">&nbsp;(${esc(t.explainCount(explain.length))})</span></summary>
              ${explainList}
            </details>
          </section>
        </div>
        <p class="sr-only" aria-live="polite" data-field="announce">${
          announce ? esc(`${t.recomputed}: ${t.total} ${e.total}, ${t.status} ${report.status}${q ? `, ${t.quality} ${pct(q.score)}` : ""}`) : ""
        }</p>
      </article>`;
    // Keep the explain view open across re-renders.
    if (this.#explainOpen) root.querySelector("details").open = true;
    root.querySelector("details").addEventListener("toggle", (ev) => {
      this.#explainOpen = ev.target.open;
    });
  }
  #explainOpen = false;
}

const LIST_CSS = `
  ${BASE_CSS}
  .wrap { border: 1px solid #c4c7cc; border-radius: 12px; padding: 14px; }
  .top { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: 6px; margin-bottom: 8px; }
  table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e5e8; vertical-align: top; }
  th { font-size: 0.8rem; color: #33373d; font-weight: 600; }
  td.n { text-align: right; }
  .basis { font-size: 0.85rem; color: #33373d; display: inline-flex; gap: 6px; align-items: center; }
  .basis select { font: inherit; min-height: 36px; border: 1px solid #757a82; border-radius: 8px; padding: 2px 6px; background: #fff; color: #1a1a1a; }
  button.deal { font: inherit; color: #0b57d0; background: none; border: 0; padding: 0; text-decoration: underline; cursor: pointer; text-align: left; min-height: 24px; }
  .customer { display: block; font-size: 0.8rem; color: #4a4f57; }
  @container (max-width: 560px) {
    thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    table, tbody, tr, td { display: block; }
    tr { border: 1px solid #e3e5e8; border-radius: 8px; margin-bottom: 8px; padding: 4px 0; }
    td { border: 0; padding: 2px 10px; display: flex; justify-content: space-between; gap: 8px; }
    td.n { text-align: right; }
    td::before { content: attr(data-label); color: #4a4f57; font-size: 0.85rem; }
    td.first::before { content: none; }
  }
`;

/** The stale-deals list (未接触リスト) in the order the core returns it. Fires `deal-select`. */
export class DealStaleList extends HTMLElement {
  static observedAttributes = ["as-of", "basis", "days", "lang"];
  #book;
  #onChange = () => this.#render();

  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this.shadowRoot.addEventListener("change", (e) => {
      if (e.target.id === "basis") this.setAttribute("basis", e.target.value);
    });
    this.shadowRoot.addEventListener("click", (e) => {
      const button = e.target.closest?.("button[data-deal]");
      if (button) this.dispatchEvent(new CustomEvent("deal-select", { detail: { deal: button.dataset.deal }, bubbles: true, composed: true }));
    });
  }

  set book(book) {
    this.#book?.removeEventListener("change", this.#onChange);
    this.#book = book;
    book?.addEventListener("change", this.#onChange);
    this.#render();
  }

  get book() {
    return this.#book;
  }

  attributeChangedCallback() {
    this.#render();
  }

  connectedCallback() {
    this.#render();
  }

  #render() {
    const root = this.shadowRoot;
    const asOf = this.getAttribute("as-of");
    if (!this.#book || !asOf) {
      root.innerHTML = `<style>${LIST_CSS}</style>`;
      return;
    }
    const t = TEXT[this.getAttribute("lang")] ?? TEXT.ja;
    const options = { basis: this.getAttribute("basis") ?? "contact" };
    if (this.hasAttribute("days")) options.days = Number(this.getAttribute("days"));
    let report;
    try {
      report = this.#book.stale(asOf, options);
    } catch (err) {
      root.innerHTML = `<style>${LIST_CSS}</style><p class="error" role="alert">${esc(err.code)}: ${esc(err.message)}</p>`;
      return;
    }
    const rows = report.deals
      .map((r) => {
        const deal = this.#book.deal(r.deal);
        const grade = r.quality === null ? "—" : `${r.grade ?? "—"} (${pct(r.quality)})`;
        return `<tr data-deal="${esc(r.deal)}">
          <td class="first" data-label="${esc(t.deal)}"><button class="deal" data-deal="${esc(r.deal)}" aria-label="${esc(`${t.open} ${r.deal} ${deal.customer ?? ""}`)}">${esc(r.deal)}</button><span class="customer">${esc(deal.customer ?? "")}</span></td>
          <td data-label="${esc(t.lastDate)}">${esc(r.last_date ?? t.never)}</td>
          <td class="n" data-label="${esc(t.daysSince)}" data-field="days_since">${r.days_since ?? "—"}</td>
          <td class="n" data-label="${esc(t.staleDays)}">${r.stale_days}</td>
          <td class="n" data-label="${esc(t.total)}">${r.total}</td>
          <td class="n" data-label="${esc(t.breadth)}">${pct(r.breadth)}</td>
          <td class="n" data-label="${esc(t.continuity)}">${pct(r.continuity)}</td>
          <td data-label="${esc(t.quality)}">${esc(grade)}</td>
          <td data-label="${esc(t.status)}">${esc(r.status)}</td>
        </tr>`;
      })
      .join("");
    root.innerHTML = `<style>${LIST_CSS}</style>
      <div class="wrap">
        <div class="top"><h2 id="stale-title">${esc(t.stale)}</h2>
          <p class="muted" data-field="stale.count">${esc(t.staleCount(report.deals.length, report.snoozed))}</p>
          <label class="basis">${esc(t.basisLabel)} <select id="basis">${["contact", "energy"]
            .map((b) => `<option value="${b}" ${b === report.basis ? "selected" : ""}>${esc(t.basis[b])}</option>`)
            .join("")}</select></label></div>
        <table aria-labelledby="stale-title">
          <thead><tr><th scope="col">${esc(t.deal)}</th><th scope="col">${esc(t.lastDate)}</th><th scope="col" class="n">${esc(t.daysSince)}</th>
            <th scope="col" class="n">${esc(t.staleDays)}</th><th scope="col" class="n">${esc(t.total)}</th><th scope="col" class="n">${esc(t.breadth)}</th>
            <th scope="col" class="n">${esc(t.continuity)}</th><th scope="col">${esc(t.quality)}</th><th scope="col">${esc(t.status)}</th></tr></thead>
          <tbody>${rows}</tbody>
        </table>
      </div>`;
  }
}

if (!customElements.get("deal-energy-card")) customElements.define("deal-energy-card", DealEnergyCard);
if (!customElements.get("deal-stale-list")) customElements.define("deal-stale-list", DealStaleList);
