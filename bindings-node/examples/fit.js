const fs = require('node:fs')
const path = require('node:path')
const { fit, fitScorecard } = require('dealscore')

// The shipped example history: 120 deals (111 won or lost) and their 3,000 activity reports.
const dir = path.join(__dirname, '..', '..', 'examples', 'history')
const deals = JSON.parse(fs.readFileSync(path.join(dir, 'deals.json'), 'utf8'))
const lines = fs.readFileSync(path.join(dir, 'activities.jsonl'), 'utf8').trim().split('\n')
const activities = lines.map((l) => JSON.parse(l))

// Integer points learned from the deals, at most 5 actions with points; the last 20% of the
// closed deals (by close date) are held out to test the table.
const f = fit({ deals, activities, options: { max_nonzero: 5 } })
console.log(f.train.deals, f.test.deals) // 88 23
console.log(f.train.auc_base.toFixed(3), f.train.auc_fitted.toFixed(3)) // 0.922 0.937: better on the deals it learned from
console.log(f.test.auc_base.toFixed(3), f.test.auc_fitted.toFixed(3)) // 0.892 0.892: as good on the later deals, with fewer actions
const actions = f.points.filter((p) => p.kind === 'action' && p.fitted !== 0)
console.log(actions.map((p) => `${p.id} ${p.base}→${p.fitted}`).join(', ')) // visited_us 20→21, requested_quote 20→9, approval_circular 50→14

// Any numeric table and 0/1 labels: at most k features with integer points in [lb, ub].
const card = fitScorecard({
  table: {
    columns: ['demo_held', 'exec_met', 'cold_lead'],
    rows: [[1, 1, 0], [1, 0, 0], [0, 1, 0], [1, 1, 1], [0, 0, 1], [0, 0, 0], [1, 0, 1], [0, 1, 1], [1, 1, 0], [0, 0, 1], [1, 0, 0], [0, 0, 0]],
  },
  labels: [1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0],
  options: { k: 2, lb: -3, ub: 3 },
})
console.log(card.intercept, JSON.stringify(card.points)) // -1 {"demo_held":3,"cold_lead":-3}
