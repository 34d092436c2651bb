//! TypeScript declarations of the serde-shaped inputs and outputs (snake_case, as in
//! `docs/model.md`). The `*Json` functions take the `*Request` shapes as JSON text.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_INPUTS: &str = r#"
/** A civil date written `YYYY-MM-DD`. */
export type DateString = string;

/** A customer person met. `role` (a role id) wins over `title` (free text mapped by aliases). */
export interface Contact {
  person?: string | null;
  role?: string | null;
  title?: string | null;
  department?: string | null;
}

/** One activity report (活動報告). Unknown fields are ignored. */
export interface Activity {
  id: string;
  deal: string;
  date: DateString;
  /** Customer action ids; a set (duplicates count once). */
  actions?: string[];
  contacts?: Contact[];
  /** Number of customer attendees; defaults to the number of contacts. */
  attendees?: number | null;
  reporter?: string | null;
  note?: string | null;
}

/** A step of an approval route (稟議ルート): a contact matches when every named field is equal. */
export interface RouteStep {
  role?: string | null;
  department?: string | null;
  person?: string | null;
}

export type Notify = "all" | "digest" | "none";

/** A seller-side member of the deal team. */
export interface Member {
  user: string;
  role?: string | null;
  skills?: string[];
  notify?: Notify;
}

/** Checking or unchecking one quality indicator; only the deal's maintainer may. */
export interface QualityEvent {
  indicator: string;
  checked: boolean;
  by: string;
  date: DateString;
  reason?: string | null;
}

/** A deal (商談). */
export interface Deal {
  id: string;
  customer?: string | null;
  model?: string | null;
  stage?: string | null;
  route?: RouteStep[];
  members?: Member[];
  maintainer?: string | null;
  quality_events?: QualityEvent[];
  snoozed_until?: DateString | null;
  /** How the deal ended; absent or `null` while it is open. */
  outcome?: Outcome | null;
  /** The close date: required with an `outcome`; on an open deal the expected close date. */
  closed_on?: DateString | null;
}

export type Outcome = "won" | "lost";

export type StaleBasis = "contact" | "energy";

/** Input of `score`, `explain` and `stale`, and the JSON text of `scoreJson` … (the Web API's body). */
export interface ScoreRequest {
  /** An inline model or model set; wins over the `model` argument. */
  model?: ModelFile | ModelSetFile | null;
  deals?: Deal[];
  activities?: Activity[];
  as_of: DateString;
  /** `stale` only: threshold in days for every deal (default: the stage's, else the model's). */
  days?: number | null;
  /** `stale` only: what counts as contact (default `contact`). */
  basis?: StaleBasis | null;
}

/** Input of `stale` and `staleJson`: a score request whose `days` and `basis` are the options. */
export type StaleRequest = ScoreRequest;

/**
 * Input of `backtest` and `backtestJson`: the deals with their outcomes and their activities.
 * Horizon mode (default) scores each closed deal `horizon_days` (default 14) before it closed;
 * cohort mode (`as_of` given) scores every deal closed after `as_of` as of that date.
 */
export interface BacktestRequest {
  model?: ModelFile | ModelSetFile | null;
  deals?: Deal[];
  activities?: Activity[];
  horizon_days?: number | null;
  as_of?: DateString | null;
  /** Lift groups, 1–100 (default 10). */
  bins?: number | null;
}

/** Input of `quality` and `qualityJson`. */
export interface QualityRequest {
  model?: ModelFile | ModelSetFile | null;
  deal: Deal;
  as_of: DateString;
}

/** Input of `nextSteps` and `nextStepsJson`. */
export interface NextStepsRequest {
  model?: ModelFile | ModelSetFile | null;
  deal: Deal;
  done?: string[];
}

/** Input of `recipients` and `recipientsJson`. */
export interface RecipientsRequest {
  deal: Deal;
  activity: Activity;
}

/** Input of `onReport` and `onReportJson`: a new daily report (日報) with its deal's history. */
export interface ReportRequest {
  model?: ModelFile | ModelSetFile | null;
  /** Deal records; the reported deal's must be among them (it names whom to notify). */
  deals?: Deal[];
  /** The deal reported on; the report's `deal` when absent. */
  deal?: string | null;
  /** The activities recorded so far (the deal's history). */
  activities?: Activity[];
  /** The new activity report. */
  report: Activity;
  as_of: DateString;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const TS_MODEL: &str = r#"
/** A customer action; only the customer's own effort scores. */
export interface ActionDef {
  id: string;
  label: string;
  points: number;
  by_role?: Record<string, number>;
  cap?: number;
}

/** A customer role (job title band), ordered by `rank`. */
export interface RoleDef {
  id: string;
  label: string;
  rank: number;
  points: number;
  aliases?: string[];
}

export interface AttendeeBand {
  min: number;
  points: number;
}

export interface StatusLabels {
  close?: string;
  qualify?: string;
  engage?: string;
  review?: string;
}

export interface Indicator {
  id: string;
  label: string;
  weight?: number;
}

export interface Grade {
  grade: string;
  min: number;
}

export type Phase = "sales" | "support";

export interface Criterion {
  id: string;
  label: string;
}

export interface Stage {
  id: string;
  label: string;
  phase: Phase;
  roles?: string[];
  skills?: string[];
  actions?: string[];
  exit?: Criterion[];
  stale_days?: number;
}

/** A model file (`schema = 1`). `Model#toJSON` returns it with every default filled in. */
export interface ModelFile {
  schema: 1;
  actions: ActionDef[];
  roles: RoleDef[];
  attendee_bands?: AttendeeBand[];
  default_route?: RouteStep[];
  continuity?: { period_days?: number; periods?: number };
  half_life_days?: number;
  stale_days?: number;
  status: { energy_threshold: number; quality_threshold: number; labels?: StatusLabels };
  quality?: { indicators?: Indicator[]; grades?: Grade[]; review_days?: number };
  process?: { stages?: Stage[] };
  qa?: { k1?: number; b?: number; answer_weight?: number; stage_boost?: number; min_score?: number };
}

/** Several named models; deals pick one by `model`, the rest use `default`. */
export interface ModelSetFile {
  default: string;
  models: Record<string, ModelFile>;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const TS_OUTPUTS: &str = r#"
/** The cumulative axis (累計). */
export interface Energy {
  total: number;
  decayed: number;
  by_action: Record<string, number>;
  by_role: Record<string, number>;
  by_reporter: Record<string, number>;
}

export interface RouteCoverage {
  steps: RouteStep[];
  covered: RouteStep[];
  missing: RouteStep[];
  /** `covered / steps`; null when the deal has no route. */
  coverage: number | null;
}

/** The breadth axis (多面的接触). */
export interface Breadth {
  people: string[];
  /** Role ids in rank order. */
  roles: string[];
  departments: string[];
  top_role: string | null;
  route: RouteCoverage;
  score: number;
}

/** The continuity axis (継続性). */
export interface Continuity {
  period_days: number;
  /** Energy per period, oldest first. */
  series: number[];
  active_periods: number;
  ratio: number;
  streak: number;
  days_since_last: number | null;
  slope: number;
}

export interface QualitySummary {
  score: number;
  grade: string | null;
  checked: string[];
  unchecked: string[];
  needs_review: boolean;
}

/** A warning with its evidence. */
export type Signal =
  | { kind: "no_energy"; days_since_last: number | null; stale_days: number }
  | { kind: "declining"; slope: number; older: number; newer: number }
  | { kind: "top_role_absent"; role: string; last_seen: DateString }
  | { kind: "single_threaded"; person: string }
  | { kind: "route_gap"; coverage: number; missing: number };

/** Everything a manager needs to know about one deal as of a date. */
export interface DealReport {
  deal: string;
  as_of: DateString;
  energy: Energy;
  breadth: Breadth;
  continuity: Continuity;
  quality: QualitySummary | null;
  signals: Signal[];
  /** The model's label of `close`, `qualify`, `engage` or `review`. */
  status: string;
  last_contact: DateString | null;
  unmapped_titles: string[];
  future_ignored: number;
}

export interface ExplainItem {
  kind: "action" | "role" | "attendees";
  id: string;
  points: number;
}

/** The breakdown of one activity's energy; the items add up to `energy`. */
export interface Explanation {
  activity: string;
  deal: string;
  date: DateString;
  energy: number;
  items: ExplainItem[];
}

export interface QualityStep {
  date: DateString;
  indicator: string;
  checked: boolean;
  by: string;
  score: number;
}

export interface QualityReport {
  deal: string;
  as_of: DateString;
  score: number;
  grade: string | null;
  checked: string[];
  unchecked: string[];
  needs_review: boolean;
  history: QualityStep[];
}

/** One stale deal with what a manager drills into. */
export interface StaleRow {
  deal: string;
  last_date: DateString | null;
  days_since: number | null;
  stale_days: number;
  total: number;
  breadth: number;
  continuity: number;
  quality: number | null;
  grade: string | null;
  status: string;
}

export interface StaleReport {
  as_of: DateString;
  basis: StaleBasis;
  /** Stale deals left out because they are snoozed. */
  snoozed: number;
  deals: StaleRow[];
}

export interface Coverage {
  id: string;
  members: string[];
}

export interface NextSteps {
  deal: string;
  stage: string;
  label: string;
  phase: Phase;
  remaining: Criterion[];
  actions: string[];
  roles: Coverage[];
  skills: Coverage[];
  missing_roles: string[];
  missing_skills: string[];
  next_stage: string | null;
  can_advance: boolean;
}

/** The canonical status names (a model relabels them in reports, not here). */
export type StatusName = "close" | "qualify" | "engage" | "review";

/** One lift group: deals ranked by score, highest first. */
export interface LiftGroup {
  deals: number;
  won: number;
  win_rate: number;
  min: number;
  max: number;
  /** The share of all won deals in this group and the groups before it; null with none won. */
  won_share: number | null;
}

/** How well one score ranks won deals above lost ones. */
export interface ScoreFit {
  /** The probability that a won deal outscores a lost one (ties half); null without both. */
  auc: number | null;
  lift: LiftGroup[];
}

export interface BacktestScores {
  energy: ScoreFit;
  decayed: ScoreFit;
  breadth: ScoreFit;
  continuity: ScoreFit;
  /** Absent when no deal's model has quality indicators. */
  quality?: ScoreFit;
}

export interface StatusRate {
  status: StatusName;
  deals: number;
  won: number;
  win_rate: number | null;
}

/** How the deals with one action, role, quality indicator or signal kind fared. */
export interface Insight {
  kind: "action" | "role" | "indicator" | "signal";
  id: string;
  deals: number;
  won: number;
  win_rate: number | null;
  /** `win_rate` over the population's win rate. */
  lift: number | null;
}

/** One closed deal of the population, scored at its snapshot. */
export interface BacktestRow {
  deal: string;
  snapshot: DateString;
  outcome: Outcome;
  energy: number;
  decayed: number;
  breadth: number;
  continuity: number;
  /** null when the deal's model has no quality indicators (it counts as 0 in the scores). */
  quality: number | null;
  status: StatusName;
}

/** What `backtest` returns (OUTCOMES.md §3). */
export interface Backtest {
  mode: "horizon" | "cohort";
  horizon_days: number | null;
  as_of: DateString | null;
  deals: number;
  won: number;
  lost: number;
  win_rate: number | null;
  /** In words: when fewer than 40 deals were won or lost (the figures are then unstable). */
  warnings: string[];
  scores: BacktestScores;
  by_status: StatusRate[];
  insights: Insight[];
  rows: BacktestRow[];
}

/** A Q&A entry: a question asked before and its answer. */
export interface QaEntry {
  id: string;
  question: string;
  answer: string;
  /** Stages the entry is specific to; none means general (never boosted). */
  stages?: string[];
  tags?: string[];
}

/** One Q&A search result. */
export interface QaHit {
  id: string;
  score: number;
  question: string;
  answer: string;
  stages: string[];
  /** The distinct query tokens found in the entry, in query order. */
  matched: string[];
}

/** A member able to answer questions at a stage, with the stage skills they have. */
export interface Expert {
  user: string;
  skills: string[];
}

/** Input of `QaIndex#ask` and `askJson`. */
export interface QaRequest {
  question: string;
  /** The stage asked at; the deal's stage when absent. */
  stage?: string | null;
  /** The deal, so an unanswered question names the members who can answer. */
  deal?: Deal | null;
  /** How many answers at most (default 5). */
  k?: number;
}

/** The answer to one question. */
export interface QaAnswer {
  question: string;
  stage: string | null;
  hits: QaHit[];
  unanswered: boolean;
  /** When unanswered: deal members whose skills cover the stage's skills, most first. */
  ask: Expert[];
}

/** Whom to tell about a report, sorted by user id. */
export interface Recipients {
  /** Members with `notify: "all"`. */
  immediate: string[];
  /** Members with `notify: "digest"` (and no `"all"` entry). */
  digest: string[];
}

/** A deal at a glance: energy total, status label, quality grade. */
export interface DealSnapshot {
  total: number;
  status: string;
  grade: string | null;
}

/** One thing a report changed; `text` says it in words (`energy +35`). */
export type Change =
  | { kind: "energy"; from: number; to: number; text: string }
  | { kind: "status"; from: string; to: string; text: string }
  | { kind: "top_role"; from: string | null; to: string | null; text: string }
  | { kind: "route_step_covered"; step: RouteStep; text: string }
  | { kind: "route_step_uncovered"; step: RouteStep; text: string }
  | { kind: "signals_cleared"; signals: string[]; text: string }
  | { kind: "new_signals"; signals: string[]; text: string };

/** The answer of `onReport`: whom to notify and what to tell them. */
export interface ReportNotice {
  recipients: Recipients;
  before: DealSnapshot;
  after: DealSnapshot;
  /** In a fixed order (energy, status, top role, route steps, signals); empty when nothing changed. */
  changes: Change[];
}

/** What every function throws: an `Error` (`TypeError`, `RangeError`) with the core's code. */
export interface DealscoreError extends Error {
  /** `invalid_input`, `invalid_date`, `unknown_action`, `not_maintainer`, … */
  code: string;
  /** The JSON or model path of the culprit, when there is one (`activities[3].date`). */
  path?: string;
}
"#;
