// A typed CRM integration: checked with `tsc --noEmit -p test/types` (scripts/test-node).
// Lines marked @ts-expect-error prove that the declarations reject common mistakes.

import {
  Model,
  Scorer,
  score,
  scoreAsync,
  scoreJsonAsync,
  stale,
  backtest,
  backtestJson,
  explain,
  quality,
  nextSteps,
  recipients,
  QaIndex,
  tokenize,
  type Activity,
  type Backtest,
  type BacktestRow,
  type Insight,
  type Deal,
  type DealReport,
  type DealscoreError,
  type ErrorCode,
  type ScoreRequest,
  type QaAnswer,
  type QaEntry,
  type QaHit,
  type Signal,
  type StaleReport,
} from 'dealscore'

const model: Model = Model.default()
const deals: Deal[] = [
  {
    id: 'D-1',
    customer: '株式会社ミナト物流',
    stage: 'proposal',
    maintainer: 'sato',
    members: [{ user: 'sato', role: 'sales', skills: ['negotiation'], notify: 'all' }],
    quality_events: [{ indicator: 'empathy', checked: true, by: 'sato', date: '2026-11-01' }],
  },
]
const activities: Activity[] = [
  {
    id: 'a1',
    deal: 'D-1',
    date: '2026-11-20',
    actions: ['meeting_accepted', 'asked_question'],
    contacts: [{ person: '田中', title: 'CEO' }],
    reporter: 'sato',
  },
]
const request: ScoreRequest = { deals, activities, as_of: '2026-11-27' }

/** One line per signal; the switch is exhaustive over the union. */
export function describe(signal: Signal): string {
  switch (signal.kind) {
    case 'no_energy':
      return `no energy for ${signal.days_since_last ?? 'ever'} days (limit ${signal.stale_days})`
    case 'declining':
      return `declining: slope ${signal.slope.toFixed(2)}`
    case 'top_role_absent':
      return `${signal.role} last seen ${signal.last_seen}`
    case 'single_threaded':
      return `only ${signal.person}`
    case 'route_gap':
      return `route ${Math.round(signal.coverage * 100)}% covered, ${signal.missing} steps missing`
    default: {
      const never: never = signal
      return never
    }
  }
}

export function summary(r: DealReport): string {
  const q = r.quality === null ? 'n/a' : `${r.quality.grade ?? '-'} (${r.quality.score})`
  const top = r.breadth.top_role ?? 'nobody'
  return `${r.deal}: ${r.status}, energy ${r.energy.total}, top ${top}, quality ${q}, ${r.signals.map(describe).join('; ')}`
}

export async function nightly(text: Buffer): Promise<StaleReport> {
  const reports: DealReport[] = await scoreAsync(request, model)
  reports.forEach((r) => summary(r))
  const json: string = await scoreJsonAsync(text, model, AbortSignal.timeout(30_000))
  JSON.parse(json) as DealReport[]
  return stale({ ...request, days: 14, basis: 'energy' }, model)
}

export function incremental(): number {
  const scorer = new Scorer(model, deals)
  for (const a of activities) scorer.add(a)
  scorer.replace({ ...activities[0]!, actions: [] })
  const removed: Activity = scorer.remove('a1')
  const total: number = scorer.report('D-1', '2026-11-27').energy.total
  return removed.actions?.length ?? total
}

export function others(): void {
  const deal = deals[0]!
  explain(request).map((e) => e.items.map((i) => `${i.kind}:${i.id}=${i.points}`))
  const q = quality({ deal, as_of: '2026-11-27' }, model)
  if (q !== null) q.history.forEach((h) => h.score)
  const next = nextSteps({ deal, done: ['proposal_presented'] })
  if (next.can_advance) console.log(next.next_stage)
  const who: string[] = recipients({ deal, activity: activities[0]! })
  console.log(who, score(request).map(summary))
}

/** Did energy tell won from lost on last year's deals? */
export function lookBack(history: Deal[]): string {
  const bt: Backtest = backtest({ deals: history, activities, horizon_days: 14, bins: 5 }, model)
  const auc = bt.scores.energy.auc === null ? 'n/a' : bt.scores.energy.auc.toFixed(2)
  const top = bt.scores.energy.lift[0]
  const best: Insight | undefined = bt.insights.filter((i) => i.lift !== null).sort((a, b) => b.lift! - a.lift!)[0]
  const lost: BacktestRow[] = bt.rows.filter((r) => r.outcome === 'lost' && r.status === 'close')
  const cohort = JSON.parse(backtestJson(JSON.stringify({ deals: history, activities, as_of: '2026-06-01' }))) as Backtest
  return `${bt.deals} deals, AUC ${auc}, top group ${top?.win_rate}, best ${best?.id}, ${lost.length} lost at close, ${cohort.mode}`
}

export function questions(deal: Deal): QaAnswer {
  const entries: QaEntry[] = [{ id: 'q1', question: '見積はいつ出せますか', answer: '要件確定後3営業日です', stages: ['quotation'] }]
  const index = new QaIndex(entries, model)
  const hits: QaHit[] = index.search('見積', 'quotation', 3)
  hits.forEach((h) => `${h.id}: ${h.score} (${h.matched.join(' ')})`)
  const tokens: string[] = tokenize('ＰＣの見積もり')
  const answer = index.ask({ question: tokens.join(' '), deal, k: 3 }, model)
  if (answer.unanswered) answer.ask.map((e) => `${e.user} knows ${e.skills.join(', ')}`)
  return answer
}

export function handle(e: unknown): ErrorCode | undefined {
  if (e instanceof Error && 'code' in e) {
    const err = e as DealscoreError
    if (err.code === 'unknown_action' || err.code === 'invalid_date') return err.code
    return err.path === undefined ? err.code : undefined
  }
  return undefined
}

// @ts-expect-error request keys are snake_case, as in every dealscore shape
score({ asOf: '2026-11-27' })
// @ts-expect-error an outcome is 'won' or 'lost'
const pending: Deal = { id: 'D-3', outcome: 'pending', closed_on: '2026-06-30' }
// @ts-expect-error backtest options are snake_case keys of the request
backtest({ deals: [], horizonDays: 14 })
// @ts-expect-error a deal's events are `quality_events`
const camel: Deal = { id: 'D-2', qualityEvents: [] }
// @ts-expect-error status is a label string, reports are not assignable to numbers
const n: number = score(request)[0]!.status
// @ts-expect-error the model argument is a compiled Model, not a model file
score(request, model.toJSON())
export { camel, n, pending }
