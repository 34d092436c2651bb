// Every vectors/*.json case against the web build in headless Chromium, served on 127.0.0.1.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { launchChromium, serveRepo, vectorCases } from "./helpers.mjs";

const cases = vectorCases();
let server;
let browser;
let results;

before(async () => {
  server = await serveRepo();
  browser = await launchChromium();
  const page = await browser.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${server.origin}/bindings-wasm/test/browser/vectors.html`);
  await page.waitForFunction(() => document.getElementById("state").textContent !== "loading", null, {
    timeout: 30_000,
  });
  assert.deepEqual(errors, []);
  assert.equal(await page.textContent("#state"), "ready");
  results = new Map(
    (await page.evaluate((names) => window.runVectors(names), cases.map((c) => c.name))).map((r) => [r.name, r]),
  );
});

after(async () => {
  await browser?.close();
  server?.close();
});

test("chromium ran every case", () => {
  assert.equal(results.size, cases.length);
});

for (const { name } of cases) {
  test(`chromium vector ${name}`, () => {
    assert.deepEqual(results.get(name).failures, []);
  });
}
