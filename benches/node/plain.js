'use strict'
// The baseline: a plain-JS implementation of the same total and continuity computation as the
// core (docs/model.md: energy of an activity with caps in (date, id) order, the deal total and the
// continuity axis), written the way a JS developer would, with the obvious memoisation.

function titleKey(title) {
  // docs/model.md: NFKC, lower case, trim (ASCII skips NFKC, where it is the identity).
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(title) ? title.trim().toLowerCase() : title.normalize('NFKC').toLowerCase().trim()
}

function compile(model) {
  const roles = new Map(model.roles.map((r) => [r.id, r]))
  const titles = new Map()
  for (const r of model.roles) for (const t of [r.id, r.label, ...(r.aliases || [])]) titles.set(titleKey(t), r)
  const titleMemo = new Map()
  return {
    roles,
    actions: new Map(model.actions.map((a) => [a.id, a])),
    bands: [...(model.attendee_bands || [])].sort((a, b) => b.min - a.min),
    periodDays: model.continuity?.period_days ?? 7,
    periods: model.continuity?.periods ?? 12,
    roleOfTitle(title) {
      let r = titleMemo.get(title)
      if (r === undefined) {
        r = titles.get(titleKey(title)) ?? null
        titleMemo.set(title, r)
      }
      return r
    },
  }
}

const dayMemo = new Map()
function day(date) {
  let d = dayMemo.get(date)
  if (d === undefined) {
    d = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / 86_400_000
    dayMemo.set(date, d)
  }
  return d
}

/** E(a) with the deal's caps state (action id → points earned so far). */
function energy(m, a, capsUsed) {
  let top = null
  for (const c of a.contacts || []) {
    const r = c.role != null ? m.roles.get(c.role) : c.title != null ? m.roleOfTitle(c.title) : null
    if (r && (top === null || r.rank > top.rank)) top = r
  }
  let e = 0
  const acts = a.actions || []
  for (let i = 0; i < acts.length; i++) {
    const id = acts[i]
    if (acts.indexOf(id) !== i) continue // a set: duplicates count once
    const def = m.actions.get(id)
    let p = top !== null && def.by_role && def.by_role[top.id] !== undefined ? def.by_role[top.id] : def.points
    if (def.cap != null) {
      const used = capsUsed.get(id) || 0
      p = Math.max(0, Math.min(p, def.cap - used))
      capsUsed.set(id, used + p)
    }
    e += p
  }
  if (top !== null) e += top.points
  const n = a.attendees ?? (a.contacts || []).length
  const band = m.bands.find((b) => b.min <= n)
  if (band) e += band.points
  return e
}

function byDateThenId(x, y) {
  return x.date < y.date ? -1 : x.date > y.date ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0
}

/** Per deal: `{deal, total, continuity}` for every deal in `deals` or `activities`, by deal id. */
function scorePlain(model, deals, activities, asOf) {
  const m = compile(model)
  const t = day(asOf)
  const groups = new Map()
  for (const d of deals) groups.set(d.id, [])
  for (const a of activities) {
    let g = groups.get(a.deal)
    if (g === undefined) groups.set(a.deal, (g = []))
    if (a.date <= asOf) g.push(a)
  }
  const out = []
  for (const id of [...groups.keys()].sort()) {
    const acts = groups.get(id).sort(byDateThenId)
    const capsUsed = new Map()
    const series = new Array(m.periods).fill(0)
    let total = 0
    let last = null
    for (const a of acts) {
      const e = energy(m, a, capsUsed)
      total += e
      const d = day(a.date)
      const k = Math.floor((t - d) / m.periodDays)
      if (k < m.periods) series[m.periods - 1 - k] += e
      if (e > 0 && (last === null || d > last)) last = d
    }
    let active = 0
    for (const v of series) if (v > 0) active++
    let streak = 0
    for (let i = series.length - 1; i >= 0 && series[i] > 0; i--) streak++
    const n = series.length
    let sx = 0, sy = 0, sxy = 0, sxx = 0
    for (let x = 0; x < n; x++) {
      sx += x
      sy += series[x]
      sxy += x * series[x]
      sxx += x * x
    }
    out.push({
      deal: id,
      total,
      continuity: {
        period_days: m.periodDays,
        series,
        active_periods: active,
        ratio: active / m.periods,
        streak,
        days_since_last: last === null ? null : t - last,
        slope: n < 2 ? 0 : (n * sxy - sx * sy) / (n * sxx - sx * sx),
      },
    })
  }
  return out
}

module.exports = { scorePlain }
