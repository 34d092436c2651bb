'use strict'
// Scores the 1M synthetic activities of benches/data through every path of the Node binding and
// through a plain-JS implementation of the same total/continuity computation, in one run, and
// prints a Markdown table (benches/node/README.md). Start it with benches/node/run.
//
// Two starting points, because the fastest path depends on what the caller holds:
//   A. the request arrives as JSON text (an HTTP body, a file, a queue message): a Buffer;
//   B. the request is already JS objects (e.g. rows from a database driver).

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { performance } = require('node:perf_hooks')
const ds = require('../../bindings-node')
const { scorePlain } = require('./plain.js')

const DATA = path.join(__dirname, '..', 'data')
const AS_OF = process.env.AS_OF || '2026-11-27'
const RUNS = Number(process.env.RUNS || 5)

function requestBody() {
  const deals = fs.readFileSync(path.join(DATA, 'deals.json'))
  const lines = fs.readFileSync(path.join(DATA, 'activities.jsonl'))
  // JSON Lines → the items of a JSON array: newlines become commas.
  let end = lines.length
  while (end > 0 && (lines[end - 1] === 0x0a || lines[end - 1] === 0x0d)) end--
  const items = Buffer.from(lines.subarray(0, end))
  for (let i = 0; i < items.length; i++) if (items[i] === 0x0a) items[i] = 0x2c
  return Buffer.concat([
    Buffer.from(`{"as_of":"${AS_OF}","deals":`),
    deals,
    Buffer.from(',"activities":['),
    items,
    Buffer.from(']}'),
  ])
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Best and median wall time, best CPU time (all threads) of `runs` runs, and the longest time the
 * event loop stood still: a 1 ms ticker runs throughout, so a synchronous call stalls it for its
 * whole length. The best run is the one least disturbed by whatever else the machine was doing.
 */
async function measure(fn, runs = RUNS) {
  const times = []
  const cpus = []
  let stall = 0
  for (let i = 0; i < runs; i++) {
    global.gc?.()
    let last = performance.now()
    let gap = 0
    const ticker = setInterval(() => {
      const now = performance.now()
      gap = Math.max(gap, now - last)
      last = now
    }, 1)
    await pause(5)
    gap = 0
    last = performance.now()
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    await fn()
    times.push(performance.now() - t0)
    const c = process.cpuUsage(c0)
    cpus.push((c.user + c.system) / 1000)
    await pause(5)
    clearInterval(ticker)
    stall = Math.max(stall, gap)
  }
  return { ms: Math.min(...times), median: median(times), cpu: Math.min(...cpus), stall }
}

/** The plain-JS and core results must agree on every deal before any timing counts. */
function check(plain, reports) {
  if (plain.length !== reports.length) throw new Error(`deal counts differ: ${plain.length} vs ${reports.length}`)
  plain.forEach((p, i) => {
    const r = reports[i]
    const want = JSON.stringify({ deal: r.deal, total: r.energy.total, continuity: r.continuity })
    if (JSON.stringify(p) !== want) throw new Error(`plain JS disagrees on ${r.deal}:\n${JSON.stringify(p)}\n${want}`)
  })
}

async function main() {
  const body = requestBody()
  const request = JSON.parse(body)
  const model = ds.Model.default()
  const modelFile = model.toJSON()
  const plain = () => scorePlain(modelFile, request.deals, request.activities, request.as_of)
  check(plain(), JSON.parse(ds.scoreJson(body, model)))
  console.error(`checked: plain JS = core on ${request.deals.length} deals, ${request.activities.length} activities`)

  const rows = []
  const run = async (scenario, name, fn, runs) => {
    const r = await measure(fn, runs)
    rows.push({ scenario, name, ...r })
    console.error(`${scenario} ${name}: best ${r.ms.toFixed(0)} ms, median ${r.median.toFixed(0)} ms, cpu ${r.cpu.toFixed(0)} ms, stall ${r.stall.toFixed(0)} ms`)
  }

  // A. JSON text in.
  await run('A', 'plain JS: JSON.parse + compute', () => {
    const req = JSON.parse(body)
    scorePlain(modelFile, req.deals, req.activities, req.as_of)
  })
  await run('A', '`score`: JSON.parse + objects', () => ds.score(JSON.parse(body), model))
  await run('A', '`scoreAsync`: JSON.parse + objects', () => ds.scoreAsync(JSON.parse(body), model))
  await run('A', '`scoreJson(string)`', () => ds.scoreJson(body.toString('utf8'), model))
  await run('A', '`scoreJson(Buffer)`', () => ds.scoreJson(body, model))
  await run('A', '`scoreJsonAsync(Buffer)`', () => ds.scoreJsonAsync(body, model))
  await run('A', '`scoreJson(Buffer)` + JSON.parse of the reports', () => JSON.parse(ds.scoreJson(body, model)))
  await run(
    'A',
    '`Scorer`: JSON.parse + 1M `add` + `reportAll`',
    () => {
      const req = JSON.parse(body)
      const s = new ds.Scorer(model, req.deals)
      for (const a of req.activities) s.add(a)
      s.reportAll(req.as_of)
    },
    1,
  )

  // B. JS objects in.
  await run('B', 'plain JS: compute', plain)
  await run('B', '`score`', () => ds.score(request, model))
  await run('B', '`scoreAsync`', () => ds.scoreAsync(request, model))
  await run('B', '`scoreJson`: JSON.stringify + text', () => ds.scoreJson(JSON.stringify(request), model))
  await run('B', 'columnar input, JS side only (lower bound)', () => columns(request, modelFile))

  const baseOf = (key) => ({ A: rows[0][key], B: rows.find((r) => r.scenario === 'B')[key] })
  const base = baseOf('ms')
  const baseCpu = baseOf('cpu')
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  const load = os.loadavg()[0].toFixed(1)
  console.log(
    `Node ${process.version}, ${os.cpus().length} cores (${cpu}), load average ${load}, ` +
      `${request.activities.length} activities, ${request.deals.length} deals, best and median of ${RUNS} runs (Scorer: 1 run)\n`,
  )
  console.log('| start | path | wall, best (ms) | median (ms) | vs plain JS | CPU, best (ms) | vs plain JS, CPU | longest event-loop stall (ms) |')
  console.log('|---|---|---:|---:|---:|---:|---:|---:|')
  for (const r of rows) {
    const x = (v) => `${v.toFixed(2)}×`
    console.log(
      `| ${r.scenario} | ${r.name} | ${r.ms.toFixed(0)} | ${r.median.toFixed(0)} | ${x(base[r.scenario] / r.ms)} | ` +
        `${r.cpu.toFixed(0)} | ${x(baseCpu[r.scenario] / r.cpu)} | ${r.stall.toFixed(0)} |`,
    )
  }
}

/**
 * What any columnar API (typed arrays of dates, deal and action indexes …) would cost the caller
 * before the native side even starts: one walk over the objects to fill the columns.
 */
function columns(request, model) {
  const acts = request.activities
  const actionIndex = new Map(model.actions.map((a, i) => [a.id, i]))
  const dealIndex = new Map()
  const dates = new Int32Array(acts.length)
  const deals = new Uint32Array(acts.length)
  const actionStart = new Uint32Array(acts.length + 1)
  const actionIds = []
  const titles = []
  for (let i = 0; i < acts.length; i++) {
    const a = acts[i]
    let d = dealIndex.get(a.deal)
    if (d === undefined) dealIndex.set(a.deal, (d = dealIndex.size))
    deals[i] = d
    dates[i] = Date.parse(a.date) / 86_400_000
    for (const id of a.actions || []) actionIds.push(actionIndex.get(id))
    actionStart[i + 1] = actionIds.length
    for (const c of a.contacts || []) titles.push(c.title)
  }
  return { dates, deals, actionStart, actionIds: Uint16Array.from(actionIds), titles }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
