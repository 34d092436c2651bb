'use strict'
// Errors are real Error objects of the apt class, with the core's stable `code` (and `path` when
// the core names the culprit), on every path; nothing panics across the boundary.

const test = require('node:test')
const assert = require('node:assert/strict')
const ds = require('dealscore')

const AS_OF = '2026-11-27'
const act = (over = {}) => ({ id: 'a1', deal: 'D-1', date: '2026-11-20', actions: ['called_us'], contacts: [], ...over })

/** Asserts that `run` throws an instance of `cls` with `code` (and `path` when given). */
function fails(run, cls, code, path) {
  assert.throws(run, (e) => {
    assert.ok(e instanceof cls, `${e.constructor.name} is not a ${cls.name}: ${e.message}`)
    assert.equal(e.code, code, e.message)
    if (path !== undefined) assert.equal(e.path, path)
    assert.ok(e.message.length > 0)
    assert.ok(typeof e.stack === 'string')
    return true
  })
}

test('an unknown action is an Error naming the activity and the action', () => {
  fails(() => ds.score({ as_of: AS_OF, activities: [act({ actions: ['bribed_us'] })] }), Error, 'unknown_action')
  assert.throws(
    () => ds.score({ as_of: AS_OF, activities: [act({ actions: ['bribed_us'] })] }),
    /"a1".*"bribed_us"/,
  )
})

test('input of the wrong shape is a TypeError invalid_input with the JSON path', () => {
  fails(() => ds.score({ as_of: AS_OF, activities: [act({ attendees: -1 })] }), TypeError, 'invalid_input', 'activities[0].attendees')
  fails(() => ds.score({ as_of: AS_OF, activities: [act({ actions: 'called_us' })] }), TypeError, 'invalid_input', 'activities[0].actions')
  fails(() => ds.score({ as_of: AS_OF, activities: {} }), TypeError, 'invalid_input', 'activities')
  fails(() => ds.score({ activities: [] }), TypeError, 'invalid_input')
  fails(() => ds.score('not an object'), TypeError, 'invalid_input')
  fails(() => ds.score(undefined), TypeError, 'invalid_input', '$')
  fails(() => ds.score({ as_of: AS_OF, activities: [act({ attendees: 10n })] }), TypeError, 'invalid_input', '$')
  const cyclic = { as_of: AS_OF }
  cyclic.self = cyclic
  fails(() => ds.score(cyclic), TypeError, 'invalid_input', '$')
})

test('a date that does not exist is a RangeError invalid_date', () => {
  fails(() => ds.score({ as_of: '2026-02-30' }), RangeError, 'invalid_date', 'as_of')
  fails(() => ds.score({ as_of: AS_OF, activities: [act({ date: '2026-2-3' })] }), RangeError, 'invalid_date', 'activities[0].date')
  // A JS Date serialises with a time of day: not a civil date.
  fails(() => ds.score({ as_of: new Date('2026-11-27') }), RangeError, 'invalid_date', 'as_of')
  fails(() => new ds.Scorer().reportAll('2026-13-01'), RangeError, 'invalid_date', 'asOf')
})

test('model validation errors name the model path', () => {
  const model = Model().toJSON()
  model.actions[3].points = -1
  fails(() => ds.Model.fromObject(model), Error, 'invalid_model', 'actions[3].points')
  fails(() => ds.Model.fromJson(JSON.stringify(model)), Error, 'invalid_model', 'actions[3].points')
  fails(() => ds.score({ model, as_of: AS_OF }), Error, 'invalid_model', 'actions[3].points')
  fails(() => ds.Model.fromJson('{"schema": 1'), TypeError, 'invalid_input')
  fails(() => ds.Model.fromToml('schema = ['), TypeError, 'invalid_input')
  fails(() => ds.Model.fromToml(42), TypeError, 'invalid_input', 'text')
})

function Model() {
  return ds.Model.default()
}

test('the JSON paths throw the same errors', () => {
  fails(() => ds.scoreJson('{"as_of": "2026-11-27", "activities": [{"id": "a", "deal": "D", "date": "2026-11-26", "actions": ["x"]}]}'), Error, 'unknown_action')
  fails(() => ds.scoreJson('{"as_of": "2026-02-30"}'), RangeError, 'invalid_date', 'as_of')
  fails(() => ds.scoreJson('{"as_of": '), TypeError, 'invalid_input')
  fails(() => ds.scoreJson(Buffer.from([0x7b, 0xff, 0x7d])), TypeError, 'invalid_input', '$')
  fails(() => ds.scoreJson(42), TypeError, 'invalid_input', '$')
  fails(() => ds.scoreJson({ as_of: AS_OF }), TypeError, 'invalid_input', '$')
  fails(() => ds.staleJson('{"as_of": "2026-11-27", "basis": "vibes"}'), TypeError, 'invalid_input', 'basis')
})

test('a wrong model or string argument is a TypeError invalid_input naming the parameter', () => {
  fails(() => ds.score({ as_of: AS_OF }, {}), TypeError, 'invalid_input', 'model')
  fails(() => ds.score({ as_of: AS_OF }, new ds.Scorer()), TypeError, 'invalid_input', 'model')
  fails(() => ds.scoreJson('{"as_of": "2026-11-27"}', 'default'), TypeError, 'invalid_input', 'model')
  fails(() => new ds.Scorer('default'), TypeError, 'invalid_input', 'model')
  fails(() => new ds.Scorer().report(7, AS_OF), TypeError, 'invalid_input', 'dealId')
  fails(() => new ds.Scorer().remove(null), TypeError, 'invalid_input', 'id')
  fails(() => ds.explainActivity(act(), null, 3), TypeError, 'invalid_input', 'dealModel')
  fails(() => ds.normalizeTitle(undefined), TypeError, 'invalid_input', 'title')
  // null and undefined both mean "the embedded default model".
  assert.deepEqual(ds.score({ as_of: AS_OF }, null), [])
  assert.deepEqual(ds.score({ as_of: AS_OF }, undefined), [])
})

test('Scorer errors: duplicate and unknown activities, unknown deals', () => {
  const s = new ds.Scorer()
  s.add(act())
  fails(() => s.add(act()), Error, 'duplicate_activity')
  fails(() => s.replace(act({ id: 'nope' })), Error, 'unknown_activity')
  fails(() => s.remove('nope'), Error, 'unknown_activity')
  fails(() => s.report('D-404', AS_OF), Error, 'unknown_deal')
  fails(() => s.add(act({ id: '' })), Error, 'empty_id', 'activity.id')
  fails(() => new ds.Scorer(null, [{ id: 'D' }, { id: 'D' }]), Error, 'duplicate_deal')
  // A failed call leaves the scorer unchanged.
  assert.equal(s.size, 1)
})

test('process, quality and notification errors carry their codes', () => {
  const deal = { id: 'D-1', stage: 'proposal', maintainer: 'sato', quality_events: [{ indicator: 'budget_secured', checked: true, by: 'ito', date: '2026-11-01' }] }
  fails(() => ds.quality({ deal, as_of: AS_OF }), Error, 'not_maintainer')
  fails(() => ds.nextSteps({ deal: { id: 'D-1', stage: 'nowhere' } }), Error, 'unknown_stage')
  fails(() => ds.recipients({ deal: { id: 'D-2' }, activity: act() }), Error, 'deal_mismatch')
})

test('backtest errors carry their codes and the JSON path of the culprit', () => {
  const won = { id: 'D-1', outcome: 'won', closed_on: '2026-06-30' }
  fails(() => ds.backtest({ deals: [{ ...won, outcome: 'pending' }] }), TypeError, 'invalid_input', 'deals[0].outcome')
  fails(() => ds.backtest({ deals: [{ id: 'D-1', outcome: 'won' }] }), TypeError, 'invalid_input', 'deals["D-1"].closed_on')
  fails(() => ds.backtest({ deals: [{ ...won, closed_on: '2026-06-31' }] }), RangeError, 'invalid_date', 'deals[0].closed_on')
  fails(() => ds.backtest({ deals: [won], bins: 0 }), TypeError, 'invalid_input', 'bins')
  fails(() => ds.backtest({ deals: [won], horizon_days: 7, as_of: '2026-06-01' }), TypeError, 'invalid_input', 'as_of')
  fails(() => ds.backtest({ deals: [won], horizon: 7 }), TypeError, 'invalid_input', 'horizon')
  fails(() => ds.backtestJson('{"deals": [], "bins": 101}'), TypeError, 'invalid_input', 'bins')
  fails(() => ds.backtest({ deals: [won], activities: [act({ actions: ['bribed_us'] })] }), Error, 'unknown_action')
})

test('every error code is one of the documented codes', () => {
  const codes = new Set()
  const attempts = [
    () => ds.score({ as_of: 'x' }),
    () => ds.score({ as_of: AS_OF, activities: [act(), act()] }),
    () => ds.scoreJson('{'),
    () => ds.Model.fromObject({ schema: 2, actions: [], roles: [], status: { energy_threshold: 1, quality_threshold: 0.5 } }),
  ]
  for (const run of attempts) {
    try {
      run()
    } catch (e) {
      codes.add(e.code)
    }
  }
  assert.deepEqual([...codes].sort(), ['duplicate_activity', 'invalid_date', 'invalid_input', 'invalid_model'])
})

test('points that could overflow the sums are refused up front, never a crash', async () => {
  // Before the core bounded points, i64::MAX points overflowed the u64 energy sum: a debug build
  // panicked there, and the binding's guard turned the panic into an Error with code `internal`
  // on the sync and the async path. Now the model is refused; either way the process survives.
  const model = '{"schema":1,"actions":[{"id":"x","label":"x","points":9223372036854775807}],"roles":[],' +
    '"status":{"energy_threshold":1,"quality_threshold":0.5}}'
  const acts = [1, 2, 3].map((i) => `{"id":"a${i}","deal":"D","date":"2026-01-0${i}","actions":["x"]}`)
  const text = `{"model":${model},"as_of":"2026-02-01","activities":[${acts.join(',')}]}`
  fails(() => ds.scoreJson(text), Error, 'invalid_model', 'actions[0].points')
  await assert.rejects(ds.scoreJsonAsync(text), { code: 'invalid_model', path: 'actions[0].points' })
})
