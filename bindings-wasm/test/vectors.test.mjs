// Every vectors/*.json case against the Node build: the JSON-text output must be byte-identical
// to the case's expected text, and the object output must equal it parsed.
import assert from "node:assert/strict";
import { test } from "node:test";

import { LEARN_OPS, allVectorCases, loadLearnNode, loadNode, vectorCases } from "./helpers.mjs";
import { checkCase } from "./vectors-lib.mjs";

const w = loadNode();
const cases = vectorCases();
const learn = loadLearnNode();
const learnCases = allVectorCases().filter((c) => LEARN_OPS.has(c.op));

test("there are vector cases", () => {
  assert.ok(cases.length >= 40, `only ${cases.length} cases`);
});

for (const { name, raw } of cases) {
  test(`vector ${name}`, () => {
    const failures = checkCase(w, name, raw);
    assert.deepEqual(failures, []);
  });
}

test("the learn module's operations are not in the main module", () => {
  assert.equal(typeof w.fit, "undefined");
  assert.equal(typeof w.fitScorecard, "undefined");
  assert.equal(typeof learn.fit, "function");
  assert.ok(learnCases.length >= 30, `only ${learnCases.length} fit and scorecard cases`);
});

// fit and scorecard in the learn module, which also holds the whole API (a few cases of it too).
for (const { name, raw } of [...learnCases, ...cases.slice(0, 5)]) {
  test(`vector ${name} (learn module)`, () => {
    const failures = checkCase(learn, name, raw);
    assert.deepEqual(failures, []);
  });
}
