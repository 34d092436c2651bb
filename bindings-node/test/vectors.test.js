'use strict'
// Every conformance case of vectors/ through each path of the binding:
// - JSON text: the core's output text must equal the case's `expected` text byte for byte (with
//   the file's whitespace removed), so key order, 1.0 vs 1 and every float digit are checked;
// - plain objects: deep-equal to `expected`, and in the same key order;
// - a compiled Model instance instead of the inline model: the same output.
// Error cases must fail with the case's `error_code` on every path.

const test = require('node:test')
const assert = require('node:assert/strict')
const { Model } = require('dealscore')
const { loadCases, rawValue, minify, runObjects, runJson } = require('./vectors.js')

const cases = loadCases()

test('there are vectors to run', () => {
  assert.ok(cases.length >= 100, `only ${cases.length} vectors found`)
})

function assertFails(run, code) {
  assert.throws(run, (e) => {
    assert.ok(e instanceof Error, 'a real Error')
    assert.equal(e.code, code, e.message)
    return true
  })
}

for (const { file, text, case: c } of cases) {
  test(file, async (t) => {
    if (c.error_code !== undefined) {
      await t.test('json path fails with the code', () => assertFails(() => runJson(c), c.error_code))
      await t.test('object path fails with the code', () => assertFails(() => runObjects(c), c.error_code))
      if (c.model !== undefined) {
        await t.test('Model instance path fails with the code', () =>
          assertFails(() => runObjects(c, Model.fromObject(c.model)), c.error_code))
      }
      return
    }
    const want = minify(rawValue(text, 'expected'))
    assert.deepEqual(JSON.parse(want), c.expected, 'the raw slice is the expected value')
    await t.test('json path: byte-identical', () => assert.equal(runJson(c), want))
    await t.test('object path: deep-equal, same key order', () => {
      const got = runObjects(c)
      assert.deepStrictEqual(got, c.expected)
      assert.equal(JSON.stringify(got), JSON.stringify(c.expected))
    })
    if (c.model !== undefined) {
      await t.test('Model instance path: same result', () => {
        assert.deepStrictEqual(runObjects(c, Model.fromObject(c.model)), c.expected)
      })
    }
  })
}
