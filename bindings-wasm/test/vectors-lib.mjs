// Runs one conformance case (vectors/*.json) against a dealscore-wasm build. Shared by the Node
// test and the Chromium page, so both run exactly the same code; it imports nothing.
//
// Outputs are compared as text: JS cannot tell 1.0 from 1, so the JSON-text functions' output is
// compared with the case file's raw "expected" text, whitespace outside strings removed.

/** Removes the whitespace outside JSON strings. */
export function compact(text) {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c !== " " && c !== "\n" && c !== "\r" && c !== "\t") {
      out += c;
    }
  }
  return out;
}

/** The raw text of the case's "expected" value (the file's last key), compacted. */
export function expectedText(raw) {
  const body = compact(raw);
  const key = '"expected":';
  const at = body.lastIndexOf(key);
  if (at < 0 || !body.endsWith("}")) throw new Error("no trailing \"expected\" key");
  const text = body.slice(at + key.length, -1);
  // The slice must be exactly the parsed value: guards against "expected" not being last.
  if (JSON.stringify(JSON.parse(text)) !== JSON.stringify(JSON.parse(raw).expected)) {
    throw new Error("\"expected\" is not the last key of the case");
  }
  return text;
}

function outcome(run) {
  try {
    return { ok: true, value: run() };
  } catch (e) {
    if (!(e instanceof Error)) return { ok: false, code: `non-Error thrown: ${String(e)}` };
    return { ok: false, code: e.code ?? `no code: ${e.name}: ${e.message}` };
  }
}

/** A Q&A case: an index over the case's entries with its model, asked the case's question. */
function qaIndex(w, c, ask) {
  const model = "model" in c ? w.Model.fromObject(c.model) : undefined;
  const index = new w.QaIndex(c.entries ?? [], model);
  try {
    const request = {};
    for (const key of ["question", "stage", "deal", "k"]) if (key in c) request[key] = c[key];
    return ask(index, request);
  } finally {
    index.free();
    model?.free();
  }
}

/** The request of an `on_report` case, without its model. */
function reportRequest(c) {
  const request = { deals: c.deals ?? [], activities: c.activities ?? [], report: c.report, as_of: c.as_of };
  return "deal" in c ? { ...request, deal: c.deal } : request;
}

/**
 * The case through the JSON-text functions with the model inline in the request (the Web API's
 * body) and no model argument: JSON text out.
 */
export function runJson(w, c) {
  return outcome(() => {
    const op = c.op ?? "score";
    if (op === "recipients") {
      return w.recipientsJson(JSON.stringify({ deal: c.deal, activity: c.activity }));
    }
    if (op === "tokenize") return JSON.stringify(w.tokenize(c.text)); // strings only: same text
    const base = "model" in c ? { model: c.model } : {};
    if (op === "next_steps") return w.nextStepsJson(JSON.stringify({ ...base, deal: c.deal, done: c.done ?? [] }));
    if (op === "on_report") return w.onReportJson(JSON.stringify({ ...base, ...reportRequest(c) }));
    if (op === "qa") return qaIndex(w, c, (index, request) => index.askJson(JSON.stringify(request)));
    const request = { ...base, deals: c.deals ?? [], activities: c.activities ?? [], as_of: c.as_of };
    switch (op) {
      case "score":
        return w.scoreJson(JSON.stringify(request));
      case "explain":
        return w.explainJson(JSON.stringify(request));
      case "stale":
        return w.staleJson(JSON.stringify({ ...request, ...(c.options ?? {}) }));
      case "backtest":
        return w.backtestJson(JSON.stringify({ ...base, deals: c.deals ?? [], activities: c.activities ?? [], ...(c.options ?? {}) }));
      case "quality": {
        // Validate the whole input like the other ops, then replay the one deal.
        w.scoreJson(JSON.stringify(request));
        const deal = (c.deals ?? []).find((d) => d.id === c.deal) ?? { id: c.deal };
        return w.qualityJson(JSON.stringify({ ...base, deal, as_of: c.as_of }));
      }
      default:
        throw new Error(`unknown op ${op}`);
    }
  });
}

/**
 * The case through the object functions with the model as a `Model` argument (the embedded
 * default when the case has none): a plain JS value out.
 */
export function runObject(w, c) {
  return outcome(() => {
    const op = c.op ?? "score";
    if (op === "recipients") return w.recipients({ deal: c.deal, activity: c.activity });
    if (op === "tokenize") return w.tokenize(c.text);
    if (op === "qa") return qaIndex(w, c, (index, request) => index.ask(request));
    const model = "model" in c ? w.Model.fromObject(c.model) : undefined;
    const request = { deals: c.deals, activities: c.activities, as_of: c.as_of };
    try {
      switch (op) {
        case "score":
          return w.score(request, model);
        case "explain":
          return w.explain(request, model);
        case "stale":
          return w.stale({ ...request, ...(c.options ?? {}) }, model);
        case "backtest":
          return w.backtest({ deals: c.deals, activities: c.activities, ...(c.options ?? {}) }, model);
        case "next_steps":
          return w.nextSteps({ deal: c.deal, done: c.done }, model);
        case "on_report":
          return w.onReport(reportRequest(c), model);
        case "quality": {
          w.score(request, model);
          const deal = (c.deals ?? []).find((d) => d.id === c.deal) ?? { id: c.deal };
          return w.quality({ deal, as_of: c.as_of }, model);
        }
        default:
          throw new Error(`unknown op ${op}`);
      }
    } finally {
      model?.free();
    }
  });
}

/**
 * Checks one case both ways; returns a list of failure messages (empty when it passes).
 * `raw` is the case file's text.
 */
export function checkCase(w, name, raw) {
  const c = JSON.parse(raw);
  const failures = [];
  const json = runJson(w, c);
  const object = runObject(w, c);
  if ("error_code" in c) {
    for (const [path, got] of [["json", json], ["object", object]]) {
      if (got.ok) failures.push(`${name} (${path}): want error ${c.error_code}, got a result`);
      else if (got.code !== c.error_code) failures.push(`${name} (${path}): want error ${c.error_code}, got ${got.code}`);
    }
    return failures;
  }
  const want = expectedText(raw);
  if (!json.ok) failures.push(`${name} (json): want a result, got error ${json.code}`);
  else if (json.value !== want) failures.push(`${name} (json): output differs\n  want ${want}\n  got  ${json.value}`);
  if (!object.ok) failures.push(`${name} (object): want a result, got error ${object.code}`);
  else if (JSON.stringify(object.value) !== JSON.stringify(JSON.parse(want))) {
    failures.push(`${name} (object): value differs from JSON.parse(expected)`);
  }
  return failures;
}
