'use strict'
// The API surface on the shipped examples: models, each operation, the incremental Scorer, and
// the key-naming choice (snake_case data, camelCase functions).

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const ds = require('dealscore')

const EXAMPLES = path.join(__dirname, '..', '..', 'examples')
const deals = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'deals.json'), 'utf8'))
const activities = fs
  .readFileSync(path.join(EXAMPLES, 'activities.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l))
const AS_OF = '2026-11-27'
const request = { deals, activities, as_of: AS_OF }

test('Model.default, fromJson, fromToml and fromObject build the same model', () => {
  const embedded = ds.Model.default()
  assert.equal(embedded.defaultName, 'default')
  assert.deepEqual(embedded.names(), ['default'])
  const file = embedded.toJSON()
  assert.equal(file.schema, 1)
  assert.deepEqual(JSON.parse(JSON.stringify(embedded)), file, 'JSON.stringify(model) writes the model file')
  const toml = fs.readFileSync(path.join(EXAMPLES, 'model.toml'), 'utf8')
  const want = ds.score(request, embedded)
  for (const m of [
    ds.Model.fromToml(toml),
    ds.Model.fromJson(JSON.stringify(file)),
    ds.Model.fromJson(Buffer.from(JSON.stringify(file))),
    ds.Model.fromObject(file),
  ]) {
    assert.deepEqual(m.toJSON(), file)
    assert.deepEqual(ds.score(request, m), want)
  }
  assert.deepEqual(ds.score(request), want, 'no model means the embedded default')
})

test('a model set: deals pick their model by name', () => {
  const base = ds.Model.default().toJSON()
  const generous = structuredClone(base)
  for (const a of generous.actions) a.points *= 2
  const set = ds.Model.fromObject({ default: 'standard', models: { standard: base, generous } })
  assert.equal(set.defaultName, 'standard')
  assert.deepEqual(set.names(), ['generous', 'standard'])
  const acts = [
    { id: 'a1', deal: 'S', date: '2026-11-20', actions: ['called_us'] },
    { id: 'a2', deal: 'G', date: '2026-11-20', actions: ['called_us'] },
  ]
  const [g, s] = ds.score({ deals: [{ id: 'G', model: 'generous' }], activities: acts, as_of: AS_OF }, set)
  assert.equal(g.energy.total, 2 * s.energy.total)
  assert.equal(JSON.parse(JSON.stringify(set)).default, 'standard')
})

test('score: one report per deal, sorted, with the MODEL.md §10 keys in order', () => {
  const reports = ds.score(request)
  const ids = reports.map((r) => r.deal)
  assert.deepEqual(ids, [...new Set([...deals.map((d) => d.id), ...activities.map((a) => a.deal)])].sort())
  assert.deepEqual(Object.keys(reports[0]), [
    'deal', 'as_of', 'energy', 'breadth', 'continuity', 'quality', 'signals', 'status', 'last_contact',
    'unmapped_titles', 'future_ignored',
  ])
  assert.deepEqual(Object.keys(reports[0].energy), ['total', 'decayed', 'by_action', 'by_role', 'by_reporter'])
  assert.deepEqual(Object.keys(reports[0].continuity), [
    'period_days', 'series', 'active_periods', 'ratio', 'streak', 'days_since_last', 'slope',
  ])
  assert.ok(new Set(reports.map((r) => r.status)).size >= 3, 'the examples show several statuses')
  assert.deepEqual(reports, JSON.parse(ds.scoreJson(JSON.stringify(request))), 'object and JSON paths agree')
})

test('explain, stale, quality, nextSteps and recipients on the examples', () => {
  const ex = ds.explain(request)
  assert.equal(ex.length, activities.filter((a) => a.date <= AS_OF).length)
  for (const e of ex) assert.equal(e.energy, e.items.reduce((s, i) => s + i.points, 0))
  assert.deepEqual(ex, JSON.parse(ds.explainJson(JSON.stringify(request))))

  const one = ds.explainActivity(activities[0])
  assert.equal(one.activity, activities[0].id)
  assert.ok(one.energy > 0)

  const st = ds.stale({ ...request, days: 14, basis: 'energy' })
  assert.equal(st.basis, 'energy')
  assert.ok(st.deals.every((r) => r.days_since === null || r.days_since >= 14))
  assert.deepEqual(st, JSON.parse(ds.staleJson(JSON.stringify({ ...request, days: 14, basis: 'energy' }))))

  const deal = deals[0]
  const q = ds.quality({ deal, as_of: AS_OF })
  assert.equal(q.deal, deal.id)
  assert.equal(q.history.length, deal.quality_events.filter((e) => e.date <= AS_OF).length)
  assert.deepEqual(q, JSON.parse(ds.qualityJson(JSON.stringify({ deal, as_of: AS_OF }))))

  const next = ds.nextSteps({ deal, done: [] })
  assert.equal(next.stage, deal.stage)
  assert.equal(next.can_advance, next.remaining.length === 0)
  const allDone = ds.nextSteps({ deal, done: next.remaining.map((c) => c.id) })
  assert.equal(allDone.can_advance, true)
  assert.deepEqual(next, JSON.parse(ds.nextStepsJson(JSON.stringify({ deal, done: [] }))))

  const a = activities.find((x) => x.deal === deal.id)
  const who = ds.recipients({ deal, activity: a })
  assert.ok(!who.includes(a.reporter))
  assert.deepEqual(who, [...who].sort())
  assert.deepEqual(who, JSON.parse(ds.recipientsJson(JSON.stringify({ deal, activity: a }))))
})

test('backtest on the examples: each row is the deal report at its snapshot, lift partitions the deals', () => {
  const month = (i) => String(8 + (i % 4)).padStart(2, '0')
  const closed = deals.map((d, i) => ({ ...d, outcome: i % 3 === 0 ? 'lost' : 'won', closed_on: `2026-${month(i)}-15` }))
  const req = { deals: [...closed, { id: 'D-OPEN', closed_on: '2026-12-31' }], activities, horizon_days: 14, bins: 4 }
  const bt = ds.backtest(req)
  assert.equal(bt.mode, 'horizon')
  assert.deepEqual([bt.deals, bt.won, bt.lost], [10, 6, 4])
  assert.deepEqual(bt, JSON.parse(ds.backtestJson(JSON.stringify(req))), 'object and JSON paths agree')
  assert.deepEqual(ds.backtest(req, ds.Model.default()), bt, 'a Model argument: the same')
  assert.deepEqual(bt.rows.map((r) => r.deal), closed.map((d) => d.id).sort())
  for (const row of bt.rows) {
    const deal = closed.find((d) => d.id === row.deal)
    assert.equal(row.snapshot, `2026-${deal.closed_on.slice(5, 7)}-01`)
    const [r] = ds.score({ deals: [deal], activities: activities.filter((a) => a.deal === row.deal), as_of: row.snapshot })
    assert.deepEqual(
      [row.energy, row.decayed, row.breadth, row.continuity, row.quality],
      [r.energy.total, r.energy.decayed, r.breadth.score, r.continuity.ratio, r.quality?.score ?? null],
      row.deal,
    )
  }
  for (const [name, fit] of Object.entries(bt.scores)) {
    assert.ok(fit.auc >= 0 && fit.auc <= 1, `${name} auc ${fit.auc}`)
    assert.equal(fit.lift.reduce((n, g) => n + g.deals, 0), bt.deals, name)
    assert.equal(fit.lift.reduce((n, g) => n + g.won, 0), bt.won, name)
  }
  assert.equal(bt.by_status.reduce((n, s) => n + s.deals, 0), bt.deals)

  const cohort = ds.backtest({ deals: closed, activities, as_of: '2026-09-15' })
  assert.equal(cohort.mode, 'cohort')
  assert.deepEqual(cohort.rows.map((r) => r.deal), closed.filter((d) => d.closed_on > '2026-09-15').map((d) => d.id).sort())
  assert.ok(cohort.rows.every((r) => r.snapshot === '2026-09-15'))
})

test('onReport: whom to tell about a new report on the examples, and what it changed', () => {
  const report = {
    id: 'WEB-0001', deal: 'D-1003', date: '2026-11-26', actions: ['visited_us'],
    contacts: [{ person: '森 健一', title: '部長', department: '経営企画部' }], reporter: 'sato.m',
  }
  const req = { deals, activities, report, as_of: AS_OF }
  const notice = ds.onReport(req)
  assert.deepEqual(notice.recipients, { immediate: ['ito.s'], digest: ['watanabe.k'] })
  // The two snapshots are the deal's reports without and with the report, as `score` gives them.
  const without = ds.score(request).find((r) => r.deal === 'D-1003')
  const withIt = ds.score({ ...request, activities: [...activities, report] }).find((r) => r.deal === 'D-1003')
  assert.deepEqual(notice.before, { total: without.energy.total, status: without.status, grade: without.quality.grade })
  assert.deepEqual(notice.after, { total: withIt.energy.total, status: withIt.status, grade: withIt.quality.grade })
  assert.deepEqual(notice.changes.slice(0, 2).map((c) => c.text), ['energy +30', 'status engage → close'])
  assert.deepEqual(notice, JSON.parse(ds.onReportJson(JSON.stringify(req))))
  assert.throws(() => ds.onReport({ ...req, report: activities[0] }), (e) => e.code === 'duplicate_activity')
  assert.throws(() => ds.onReport({ ...req, deal: 'D-1001' }), (e) => e.code === 'deal_mismatch')
})

test('Scorer: incremental add/replace/remove equals score over the same activities', () => {
  const s = new ds.Scorer(null, deals)
  for (const a of [...activities].reverse()) s.add(a)
  assert.equal(s.size, activities.length)
  const want = ds.score(request)
  assert.deepEqual(s.reportAll(AS_OF), want)
  assert.deepEqual(JSON.parse(s.reportAllJson(AS_OF)), want)
  assert.deepEqual(s.dealIds(), want.map((r) => r.deal))
  const first = want[0].deal
  assert.deepEqual(s.report(first, AS_OF), want[0])
  assert.deepEqual(
    s.explain(first, AS_OF),
    ds.explain(request).filter((e) => e.deal === first),
  )

  // An edited report that lost its actions lowers the total; removing it returns it.
  const a = activities.find((x) => x.deal === first && x.date <= AS_OF)
  const before = s.report(first, AS_OF).energy.total
  s.replace({ ...a, actions: [] })
  assert.ok(s.report(first, AS_OF).energy.total < before)
  const removed = s.remove(a.id)
  assert.equal(removed.id, a.id)
  assert.deepEqual(removed.actions, [])
  assert.equal(s.size, activities.length - 1)
  const rest = activities.filter((x) => x.id !== a.id)
  assert.deepEqual(s.reportAll(AS_OF), ds.score({ deals, activities: rest, as_of: AS_OF }))

  // Deal records can arrive later.
  s.upsertDeal({ id: 'D-NEW', customer: 'New Co.' })
  assert.ok(s.dealIds().includes('D-NEW'))
  assert.equal(s.report('D-NEW', AS_OF).energy.total, 0)
})

test('keys: data is snake_case exactly as in MODEL.md; camelCase keys are not translated', () => {
  // Request and model keys are checked: a camelCase spelling is an invalid_input TypeError.
  assert.throws(() => ds.score({ asOf: AS_OF }), { name: 'TypeError', code: 'invalid_input' })
  const model = ds.Model.default().toJSON()
  model.halfLifeDays = model.half_life_days
  delete model.half_life_days
  assert.throws(() => ds.Model.fromObject(model), { name: 'TypeError', code: 'invalid_input' })
  // Activities ignore keys they do not know (CRM exports carry extra columns) …
  const extra = { ...activities[0], crmOwnerId: 42, Created_At: 'x' }
  assert.deepEqual(ds.explainActivity(extra), ds.explainActivity(activities[0]))
  // … and outputs are snake_case, so a report reads the same in JS, the CLI and the Web API.
  const [r] = ds.score({ activities: [activities[0]], as_of: AS_OF })
  assert.ok('as_of' in r && 'last_contact' in r && 'future_ignored' in r)
})

test('helpers: modelSchema and normalizeTitle', () => {
  const schema = ds.modelSchema()
  assert.equal(typeof schema, 'object')
  assert.ok(JSON.stringify(schema).includes('half_life_days'))
  assert.equal(ds.normalizeTitle(' ＣＥＯ '), 'ceo')
})
