'use strict'
// docs/node.md shows examples/*.js verbatim, and those examples work: the quick start prints
// what its comments say, and the HTTP handler answers real requests on 127.0.0.1.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const ds = require('dealscore')

const ROOT = path.join(__dirname, '..')
const doc = fs.readFileSync(path.join(ROOT, '..', 'docs', 'node.md'), 'utf8')
const example = (name) => fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8')

for (const name of ['quickstart.js', 'backtest.js', 'fit.js', 'server.js']) {
  test(`docs/node.md shows examples/${name} verbatim`, () => {
    assert.ok(doc.includes('```js\n' + example(name) + '```'), `docs/node.md lacks examples/${name} (or it changed)`)
  })
}

for (const name of ['quickstart.js', 'backtest.js', 'fit.js']) {
  test(`examples/${name} prints what its comments say`, () => {
    const want = example(name)
      .split('\n')
      .filter((l) => l.includes('console.log(') && l.includes(' // '))
      .map((l) => l.slice(l.lastIndexOf(' // ') + 4).split(': ')[0])
    const got = execFileSync(process.execPath, [path.join(ROOT, 'examples', name)], { encoding: 'utf8' })
    assert.deepEqual(got.trimEnd().split('\n'), want)
  })
}

async function post(base, body, pathname = '/score') {
  const res = await fetch(base + pathname, { method: 'POST', body, headers: { 'content-type': 'application/json' } })
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() }
}

test('the HTTP handler scores, reports errors with their codes, and 404s the rest', async (t) => {
  const { server } = require('../examples/server.js')
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise((resolve) => server.close(resolve)))
  const base = `http://127.0.0.1:${server.address().port}`

  const examples = path.join(ROOT, '..', 'examples')
  const request = JSON.stringify({
    deals: JSON.parse(fs.readFileSync(path.join(examples, 'deals.json'), 'utf8')),
    activities: fs.readFileSync(path.join(examples, 'activities.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)),
    as_of: '2026-11-27',
  })
  const ok = await post(base, request)
  assert.equal(ok.status, 200)
  assert.equal(ok.type, 'application/json')
  assert.equal(ok.text, ds.scoreJson(request), 'the core JSON, byte for byte')

  const bad = await post(base, '{"as_of": "2026-02-30"}')
  assert.equal(bad.status, 400)
  assert.deepEqual(JSON.parse(bad.text).code, 'invalid_date')
  assert.equal(JSON.parse(bad.text).path, 'as_of')

  const unknown = await post(base, JSON.stringify({ as_of: '2026-11-27', activities: [{ id: 'a', deal: 'D', date: '2026-11-01', actions: ['x'] }] }))
  assert.equal(unknown.status, 400)
  assert.equal(JSON.parse(unknown.text).code, 'unknown_action')

  const missing = await fetch(base + '/nowhere')
  assert.equal(missing.status, 404)
  await missing.text()
})
