// Every vectors/*.json case against the Node build: the JSON-text output must be byte-identical
// to the case's expected text, and the object output must equal it parsed.
import assert from "node:assert/strict";
import { test } from "node:test";

import { loadNode, vectorCases } from "./helpers.mjs";
import { checkCase } from "./vectors-lib.mjs";

const w = loadNode();
const cases = vectorCases();

test("there are vector cases", () => {
  assert.ok(cases.length >= 40, `only ${cases.length} cases`);
});

for (const { name, raw } of cases) {
  test(`vector ${name}`, () => {
    const failures = checkCase(w, name, raw);
    assert.deepEqual(failures, []);
  });
}
