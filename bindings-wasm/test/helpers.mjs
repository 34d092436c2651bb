// Shared by the tests: where things are, the Node build, a static server and headless Chromium.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const crateDir = fileURLToPath(new URL("..", import.meta.url));
export const repoRoot = join(crateDir, "..");
export const pkgDir = join(crateDir, "pkg");

const require = createRequire(import.meta.url);

/** The `--target nodejs` build (CommonJS). */
export function loadNode() {
  return require(join(pkgDir, "node", "dealscore_wasm.js"));
}

/** Every vector case as `{name, raw}`, sorted by name. */
// Operations whose wasm binding has not landed yet (issue 18: backtest; issue 19: fit and the
// scorecard): their vectors run in the Rust core, the oracle and the bindings that have them.
// Left out here by name and printed, never silently.
const NOT_BOUND = new Set(["fit", "scorecard"]);

export function vectorCases() {
  const dir = join(repoRoot, "vectors");
  const all = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => ({ name: f.slice(0, -5), raw: readFileSync(join(dir, f), "utf8") }));
  const bound = all.filter((c) => !NOT_BOUND.has(JSON.parse(c.raw).op));
  if (bound.length < all.length) {
    console.log(`# ${all.length - bound.length} vectors of ${[...NOT_BOUND].join(", ")} not run: not bound in wasm yet`);
  }
  return bound;
}

/** The shipped examples: the model (as the JSON twin of `examples/model.toml`, which the wasm
 * package cannot read), deals and activities. */
export function examples() {
  const dir = join(repoRoot, "examples");
  return {
    // core/tests/files.rs checks that this JSON is examples/model.toml.
    modelJson: readFileSync(join(repoRoot, "core", "data", "default_model.json"), "utf8"),
    qaJsonl: readFileSync(join(dir, "qa.jsonl"), "utf8"),
    deals: JSON.parse(readFileSync(join(dir, "deals.json"), "utf8")),
    activities: readFileSync(join(dir, "activities.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l)),
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** `python3 -m http.server` on 127.0.0.1 serving the repository; resolves once it answers. */
export async function serveRepo() {
  const port = await freePort();
  const proc = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", repoRoot], {
    stdio: "ignore",
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${origin}/bindings-wasm/package.json`);
      if (r.ok) return { origin, close: () => proc.kill() };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error("http.server did not start");
}

/** Headless Debian Chromium through playwright-core, in a fresh profile. */
export async function launchChromium(options = {}) {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "dealscore-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
