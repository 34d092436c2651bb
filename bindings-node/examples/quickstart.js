const { Model, Scorer, score, stale } = require('dealscore')

const model = Model.default() // or Model.fromToml(fs.readFileSync('model.toml', 'utf8'))
const activities = [
  {
    id: 'A-1', deal: 'D-1', date: '2026-11-02',
    actions: ['meeting_accepted', 'asked_question'],
    contacts: [{ person: '田中', title: 'CEO' }, { person: '鈴木', title: '課長' }],
    reporter: 'sato',
  },
]

const [report] = score({ activities, as_of: '2026-11-27' }, model)
console.log(report.energy.total) // 54: meeting by an executive 25 + question 6 + 経営層 20 + 2 attendees 3
console.log(report.breadth.top_role, report.status) // executive review

// The same report, kept up to date one activity report at a time.
const scorer = new Scorer(model)
for (const a of activities) scorer.add(a)
console.log(scorer.report('D-1', '2026-11-27').energy.total) // 54

// Deals nobody has touched for 14 days.
console.log(stale({ activities, as_of: '2026-11-27', days: 14 }, model).deals.map((r) => r.deal)) // [ 'D-1' ]
