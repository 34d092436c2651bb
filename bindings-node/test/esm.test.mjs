// The package from an ES module: named imports and the default import both work.

import test from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import dealscore, { Model, QaIndex, Scorer, score, scoreAsync, scoreJson, tokenize } from 'dealscore'

const require = createRequire(import.meta.url)
const request = {
  as_of: '2026-11-27',
  activities: [{ id: 'a1', deal: 'D-1', date: '2026-11-20', actions: ['called_us'], contacts: [{ title: '部長' }] }],
}

test('named ESM imports', async () => {
  const [report] = score(request, Model.default())
  assert.equal(report.deal, 'D-1')
  assert.equal(report.breadth.top_role, 'director')
  assert.deepEqual(await scoreAsync(request), [report])
  assert.deepEqual(JSON.parse(scoreJson(JSON.stringify(request))), [report])
  const s = new Scorer()
  s.add(request.activities[0])
  assert.deepEqual(s.report('D-1', '2026-11-27'), report)
  const qa = new QaIndex([{ id: 'q1', question: '見積の出し方', answer: '…' }])
  assert.equal(qa.search('見積')[0].id, 'q1')
  assert.deepEqual(tokenize('AWS'), ['aws'])
})

test('the default import and require() give the same module', () => {
  assert.equal(dealscore.score, score)
  assert.equal(require('dealscore').score, score)
  assert.equal(require('dealscore').Model, Model)
})
