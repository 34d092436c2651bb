// The snippets of docs/wasm.md marked `<!-- tested: … -->` run as written: the Node example must
// print exactly the output block below it, and the embedding page must render the card in
// Chromium with the numbers the API computes.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";

import { launchChromium, loadNode, pkgDir, repoRoot, serveRepo } from "./helpers.mjs";

const doc = readFileSync(join(repoRoot, "docs", "wasm.md"), "utf8");

/** The fenced block right after `<!-- tested: kind -->`. */
function snippet(kind) {
  const m = doc.match(new RegExp(`<!-- tested: ${kind} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\``));
  assert.ok(m, `docs/wasm.md has no "${kind}" snippet`);
  return m[1];
}

for (const kind of ["node", "backtest"]) {
  test(`the ${kind} example prints what the docs say`, () => {
    const code = snippet(kind).replaceAll('"dealscore-wasm/node"', JSON.stringify(pathToFileURL(join(pkgDir, "node", "dealscore_wasm.js")).href));
    const dir = mkdtempSync(join(tmpdir(), "dealscore-docs-"));
    try {
      const file = join(dir, "example.mjs");
      writeFileSync(file, code);
      const out = execFileSync(process.execPath, [file], { encoding: "utf8" });
      assert.equal(out, snippet(`${kind}-output`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("the embedding page renders the card and the stale list", async () => {
  const page = snippet("browser").replace('"/static/dealscore-wasm/"', '"/bindings-wasm/pkg/"');
  writeFileSync(join(pkgDir, "docs-embed.html"), page);
  // What the card must show, from the API over the same records.
  const script = snippet("browser").match(/deals: (\[[\s\S]*?\]),\n\s*activities: (\[[\s\S]*?\]),\n\s*\}\);/);
  const deals = Function(`return ${script[1]}`)();
  const activities = Function(`return ${script[2]}`)();
  const w = loadNode();
  const [want] = w.score({ deals, activities, as_of: "2026-11-27" });

  const server = await serveRepo();
  const browser = await launchChromium();
  try {
    const tab = await browser.context.newPage();
    const errors = [];
    tab.on("pageerror", (e) => errors.push(String(e)));
    await tab.goto(`${server.origin}/bindings-wasm/pkg/docs-embed.html`);
    const total = tab.locator('deal-energy-card [data-field="energy.total"]');
    await total.waitFor({ timeout: 30_000 });
    assert.equal(await total.textContent(), String(want.energy.total));
    assert.equal((await tab.locator('deal-energy-card [data-field="status"]').textContent()).trim(), want.status);
    assert.equal(await tab.locator("deal-energy-card h2").textContent(), "株式会社サンプル");
    assert.equal(await tab.locator('deal-energy-card input[data-indicator="empathy"]').isDisabled(), false);
    assert.match(await tab.locator('deal-stale-list [data-field="stale.count"]').textContent(), /0件/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});
