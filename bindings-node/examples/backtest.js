const { backtest } = require('dealscore')

// Closed deals (won or lost, with the close date) and their activity reports.
const deals = [
  { id: 'D-1', outcome: 'won', closed_on: '2026-06-30' },
  { id: 'D-2', outcome: 'won', closed_on: '2026-07-15' },
  { id: 'D-3', outcome: 'lost', closed_on: '2026-06-20' },
  { id: 'D-4', outcome: 'lost', closed_on: '2026-07-31' },
  { id: 'D-5', closed_on: '2026-12-31' }, // still open: not in the backtest
]
const boss = { person: '森', title: '部長' }
const activities = [
  { id: 'a1', deal: 'D-1', date: '2026-06-01', actions: ['visited_us', 'requested_quote'], contacts: [boss] },
  { id: 'a2', deal: 'D-1', date: '2026-06-25', actions: ['budget_request'], contacts: [boss] }, // after the snapshot
  { id: 'a3', deal: 'D-2', date: '2026-06-20', actions: ['requested_demo'], contacts: [boss] },
  { id: 'a4', deal: 'D-3', date: '2026-05-30', actions: ['emailed_us'], contacts: [{ person: '林', title: '担当' }] },
  { id: 'a5', deal: 'D-4', date: '2026-07-01', actions: ['called_us'], contacts: [{ person: '林', title: '担当' }] },
]

// Each closed deal is scored 14 days before it closed (its snapshot), so the paperwork of the
// last two weeks does not leak into the score.
const bt = backtest({ deals, activities, horizon_days: 14, bins: 2 })
console.log(bt.deals, bt.won, bt.lost) // 4 2 2
console.log(bt.rows.map((r) => `${r.deal} ${r.snapshot} ${r.energy}`).join(', ')) // D-1 2026-06-16 50, D-2 2026-07-01 25, D-3 2026-06-06 4, D-4 2026-07-17 8
console.log(bt.scores.energy.auc) // 1: every won deal had more energy at its snapshot than every lost one
console.log(bt.scores.energy.lift.map((g) => g.win_rate)) // [ 1, 0 ]: the top half won, the bottom half lost
const quote = bt.insights.find((i) => i.kind === 'action' && i.id === 'requested_quote')
console.log(quote.deals, quote.won, quote.lift) // 1 1 2: deals with a quote request won twice as often
