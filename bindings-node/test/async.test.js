'use strict'
// scoreAsync / scoreJsonAsync: same results as the sync calls, rejections (never throws) with the
// codes, the event loop keeps turning while the pool works, and an AbortSignal cancels work that
// has not started.

const test = require('node:test')
const assert = require('node:assert/strict')
const ds = require('dealscore')

const AS_OF = '2026-11-27'

/** A synthetic request of `n` activities over `deals` deals (deterministic). */
function bigRequest(n, deals = 500) {
  const actions = ['meeting_accepted', 'called_us', 'emailed_us', 'asked_question', 'visited_us']
  const titles = ['担当', '課長', '部長', 'CEO']
  const activities = []
  for (let i = 0; i < n; i++) {
    const day = 1 + (i % 28)
    activities.push({
      id: `a${i}`,
      deal: `D-${i % deals}`,
      date: `2026-${String(1 + (i % 11)).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      actions: [actions[i % 5], actions[(i * 7) % 5]],
      contacts: [{ person: `p${i % 37}`, title: titles[i % 4], department: `dep${i % 5}` }],
      reporter: `rep${i % 9}`,
    })
  }
  return { activities, as_of: AS_OF }
}

const small = bigRequest(2000, 40)

test('scoreAsync resolves with what score returns', async () => {
  const promise = ds.scoreAsync(small)
  assert.ok(promise instanceof Promise)
  assert.deepEqual(await promise, ds.score(small))
  assert.deepEqual(await ds.scoreAsync(small, ds.Model.default()), ds.score(small))
})

test('scoreJsonAsync resolves with the same JSON text as scoreJson, from a string or a Buffer', async () => {
  const text = JSON.stringify(small)
  const want = ds.scoreJson(text)
  assert.equal(await ds.scoreJsonAsync(text), want)
  assert.equal(await ds.scoreJsonAsync(Buffer.from(text)), want)
  assert.equal(await ds.scoreJsonAsync(new TextEncoder().encode(text), null, null), want)
})

test('failures reject with the codes, bad arguments included', async () => {
  await assert.rejects(ds.scoreAsync({ as_of: '2026-02-30' }), { name: 'RangeError', code: 'invalid_date', path: 'as_of' })
  await assert.rejects(
    ds.scoreAsync({ as_of: AS_OF, activities: [{ id: 'a', deal: 'D', date: '2026-11-01', actions: ['x'] }] }),
    { name: 'Error', code: 'unknown_action' },
  )
  await assert.rejects(ds.scoreJsonAsync('{"as_of":'), { name: 'TypeError', code: 'invalid_input' })
  await assert.rejects(ds.scoreJsonAsync(Buffer.from([0xff])), { name: 'TypeError', code: 'invalid_input' })
  // Arguments checked on the main thread reject too, rather than throw.
  const bad = ds.scoreAsync({ as_of: AS_OF }, 'not a model')
  assert.ok(bad instanceof Promise)
  await assert.rejects(bad, { name: 'TypeError', code: 'invalid_input', path: 'model' })
  await assert.rejects(ds.scoreAsync(10n), { name: 'TypeError', code: 'invalid_input' })
  await assert.rejects(ds.scoreJsonAsync(42), { name: 'TypeError', code: 'invalid_input' })
})

test('the event loop keeps turning while a large batch is scored', async () => {
  const text = Buffer.from(JSON.stringify(bigRequest(150_000)))
  let ticks = 0
  let spinning = true
  const spin = () => {
    ticks++
    if (spinning) setImmediate(spin)
  }
  setImmediate(spin)
  const out = await ds.scoreJsonAsync(text)
  spinning = false
  assert.equal(JSON.parse(out).length, 500)
  assert.ok(ticks > 1, `the loop turned ${ticks} times while scoring`)
})

test('many concurrent requests all settle, in any order, with their own results', async () => {
  const reqs = Array.from({ length: 12 }, (_, k) => bigRequest(300 + k * 50, 5 + k))
  const got = await Promise.all(reqs.map((r) => ds.scoreAsync(r)))
  got.forEach((reports, k) => assert.deepEqual(reports, ds.score(reqs[k])))
})

test('an AbortSignal cancels work that has not started', async () => {
  // Occupy every pool thread, then queue one more and abort it before a thread frees up.
  const busy = Buffer.from(JSON.stringify(bigRequest(60_000)))
  const threads = Number(process.env.UV_THREADPOOL_SIZE || 4)
  const running = Array.from({ length: threads }, () => ds.scoreJsonAsync(busy))
  const controller = new AbortController()
  const queued = ds.scoreJsonAsync(busy, null, controller.signal)
  controller.abort()
  await assert.rejects(queued, { name: 'AbortError' })
  for (const r of await Promise.all(running)) assert.equal(JSON.parse(r).length, 500)
})
