// The generated .d.ts files type-check a realistic usage file under `tsc --strict`.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

import { crateDir } from "./helpers.mjs";

test("tsc --noEmit --strict accepts test/types/usage.ts", () => {
  const tsc = join(crateDir, "node_modules", "typescript", "bin", "tsc");
  const args = ["--noEmit", "--strict", "--target", "es2022", "--lib", "es2022,esnext.disposable,dom", "--module", "nodenext", "--moduleResolution", "nodenext", "--skipLibCheck", "false"];
  let out = "";
  try {
    out = execFileSync(process.execPath, [tsc, ...args, join(crateDir, "test", "types", "usage.ts")], { encoding: "utf8" });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
  assert.equal(out.trim(), "");
});
