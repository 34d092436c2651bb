// DealBook: the deals and activity reports a page shows, kept in a dealscore-wasm Scorer.
// Every number comes from the wasm API; this file only keeps the records and tells listeners
// when they change. Works with the web build (after `await init()`) and the Node build.

/** The deals, activity reports and model behind one or more widgets. Fires `change`. */
export class DealBook extends EventTarget {
  /**
   * @param {object} wasm the dealscore-wasm module (web build after `init()`, or the Node build)
   * @param {{model: object, deals?: object[], activities?: object[]}} data `model` is a wasm `Model`
   */
  constructor(wasm, { model, deals = [], activities = [] }) {
    super();
    this.wasm = wasm;
    this.model = model;
    this.deals = deals.map((d) => structuredClone(d));
    this.activities = activities.map((a) => structuredClone(a));
    this.scorer = new wasm.Scorer(model, this.deals);
    this.scorer.addAll(this.activities);
    this.file = model.toJSON();
  }

  /** Deal ids from deal records and activities, sorted. */
  dealIds() {
    return this.scorer.dealIds();
  }

  /** The deal record (a bare `{id}` for a deal known only from activities). */
  deal(id) {
    return this.deals.find((d) => d.id === id) ?? { id };
  }

  /** The deal's model as a plain object: labels, thresholds, indicators, stages. */
  modelFor(id) {
    if (!this.file.models) return this.file; // a plain model: a set of one
    return this.file.models[this.deal(id).model ?? this.file.default];
  }

  report(id, asOf) {
    return this.scorer.report(id, asOf);
  }

  explain(id, asOf) {
    return this.scorer.explain(id, asOf);
  }

  quality(id, asOf) {
    return this.wasm.quality({ deal: this.deal(id), as_of: asOf }, this.model);
  }

  /** The stale list over every deal; `options` are `{days?, basis?}`. */
  stale(asOf, options = {}) {
    return this.wasm.stale({ deals: this.deals, activities: this.activities, as_of: asOf, ...options }, this.model);
  }

  /**
   * Whether `viewer` may maintain the deal's quality checklist: its maintainer, or anyone when it
   * names none. The core enforces the same rule (`not_maintainer`); this only decides what the
   * widget offers.
   */
  canMaintain(id, viewer) {
    const maintainer = this.deal(id).maintainer;
    return Boolean(viewer) && (maintainer === undefined || maintainer === viewer);
  }

  /** Records a quality event by `by` on `date` and re-scores. Throws the core's error. */
  setQuality(id, indicator, checked, { by, date, reason }) {
    const deal = this.deal(id);
    const event = { indicator, checked, by, date, ...(reason ? { reason } : {}) };
    const next = { ...deal, quality_events: [...(deal.quality_events ?? []), event] };
    this.scorer.upsertDeal(next);
    const at = this.deals.findIndex((d) => d.id === id);
    if (at < 0) this.deals.push(next);
    else this.deals[at] = next;
    this.#changed({ kind: "quality", deal: id });
  }

  /**
   * Whom a new report notifies and what it changes (`onReport`), asked before it is added. A deal
   * known only from activities has no record: a bare one stands in (nobody to notify).
   */
  notice(activity, asOf) {
    const known = this.deals.some((d) => d.id === activity.deal);
    const deals = known ? this.deals : [...this.deals, { id: activity.deal }];
    return this.wasm.onReport({ deals, activities: this.activities, report: activity, as_of: asOf }, this.model);
  }

  /** Adds a new activity report and re-scores. Throws the core's error. */
  addActivity(activity) {
    this.scorer.add(activity);
    this.activities.push(structuredClone(activity));
    this.#changed({ kind: "activity", deal: activity.deal });
  }

  #changed(detail) {
    this.dispatchEvent(new CustomEvent("change", { detail }));
  }
}
