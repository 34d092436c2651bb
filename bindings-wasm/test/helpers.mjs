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

/** The Node build of the `learn` module: the API plus fit and fitScorecard. */
export function loadLearnNode() {
  return require(join(pkgDir, "learn", "node", "dealscore_wasm.js"));
}

/** Operations only the `learn` module has: their vectors run against it. */
export const LEARN_OPS = new Set(["fit", "scorecard"]);

/** Every vector case as `{name, raw, op}`, sorted by name. */
export function allVectorCases() {
  const dir = join(repoRoot, "vectors");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const raw = readFileSync(join(dir, f), "utf8");
      return { name: f.slice(0, -5), raw, op: JSON.parse(raw).op ?? "score" };
    });
}

/** The vector cases of the main module: all but the `learn` module's operations. */
export function vectorCases() {
  return allVectorCases().filter((c) => !LEARN_OPS.has(c.op));
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
