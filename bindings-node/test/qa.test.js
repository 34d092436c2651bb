'use strict'
// Q&A: QaIndex from entries, JSON, JSON Lines and CSV; search, ask (answered and unanswered), the
// tokenizer, and their errors.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { Model, QaIndex, tokenize } = require('dealscore')

const text = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'qa.jsonl'), 'utf8')
const entries = text.trim().split('\n').map((l) => JSON.parse(l))

test('tokenize follows MODEL.md §8', () => {
  assert.deepEqual(tokenize('ＰＣの見積もりをAWSで'), ['pc', 'の見', '見積', '積も', 'もり', 'りを', 'aws', 'で'])
  assert.deepEqual(tokenize(''), [])
})

test('an index from objects, JSON, JSON Lines or CSV holds the same entries', () => {
  const index = new QaIndex(entries)
  assert.equal(index.size, entries.length)
  assert.deepEqual(index.entries().map((e) => e.id), entries.map((e) => e.id))
  assert.equal(index.entry('qa-001').question, entries[0].question)
  assert.equal(index.entry('nope'), null)
  for (const other of [
    QaIndex.fromJsonl(text),
    QaIndex.fromJsonl(Buffer.from(text)),
    QaIndex.fromJson(JSON.stringify(entries)),
    QaIndex.fromCsv(toCsv(entries.slice(0, 3))),
  ]) {
    assert.deepEqual(other.entries(), index.entries().slice(0, other.size))
  }
})

function toCsv(list) {
  const q = (s) => `"${s.replaceAll('"', '""')}"`
  const rows = list.map((e) => [e.id, e.question, e.answer, (e.stages || []).join(';'), (e.tags || []).join(';')].map(q).join(','))
  return ['id,question,answer,stages,tags', ...rows].join('\n') + '\n'
}

test('search ranks matching entries, boosts the stage, and honours k', () => {
  const index = new QaIndex(entries, Model.default())
  const hits = index.search('アポイントが取れない', null, 3)
  assert.ok(hits.length > 0 && hits.length <= 3)
  assert.equal(hits[0].id, 'qa-001')
  assert.ok(hits[0].matched.length > 0)
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score)
  const boosted = index.search('アポイントが取れない', 'first_contact', 3)
  assert.ok(boosted[0].score > hits[0].score)
  assert.equal(index.search('アポイント').length <= 5, true, 'k defaults to 5')
})

test('ask: hits for a known question; the people to ask when nothing matches', () => {
  const index = new QaIndex(entries)
  const deal = {
    id: 'D-1',
    stage: 'proposal',
    members: [
      { user: 'ito', skills: ['presentation'] },
      { user: 'sato', skills: ['solution_design', 'presentation'] },
    ],
  }
  const answered = index.ask({ question: 'アポイントが取れない', deal })
  assert.equal(answered.stage, 'proposal')
  assert.equal(answered.unanswered, false)
  assert.deepEqual(answered.ask, [])
  assert.deepEqual(JSON.parse(index.askJson(JSON.stringify({ question: 'アポイントが取れない', deal }))), answered)
  const unanswered = index.ask({ question: 'zzzz qqqq', deal })
  assert.equal(unanswered.unanswered, true)
  assert.deepEqual(unanswered.hits, [])
  assert.deepEqual(unanswered.ask.map((e) => e.user), ['sato', 'ito'])
})

test('Q&A errors carry their codes', () => {
  const codeOf = (run) => {
    try {
      run()
    } catch (e) {
      assert.ok(e instanceof Error)
      return [e.name, e.code]
    }
    return 'no error'
  }
  const index = new QaIndex(entries)
  assert.deepEqual(codeOf(() => new QaIndex([entries[0], entries[0]])), ['Error', 'duplicate_entry'])
  assert.deepEqual(codeOf(() => new QaIndex([{ id: 'x', question: ' ', answer: '' }])), ['Error', 'missing_question'])
  assert.deepEqual(codeOf(() => new QaIndex([{ id: 'x', question: 'q', answer: 'a', stage: 'oops' }])), ['TypeError', 'invalid_input'])
  assert.deepEqual(codeOf(() => QaIndex.fromJsonl('{"id": "x"}\nnot json')), ['TypeError', 'invalid_input'])
  assert.deepEqual(codeOf(() => index.search('？！')), ['Error', 'empty_question'])
  assert.deepEqual(codeOf(() => index.search('見積', null, 1001)), ['RangeError', 'limit_exceeded'])
  assert.deepEqual(codeOf(() => index.search('見積', null, -1)), ['TypeError', 'invalid_input'])
  assert.deepEqual(codeOf(() => index.search(42)), ['TypeError', 'invalid_input'])
  assert.deepEqual(codeOf(() => index.ask({ question: '見積', stage: 'nowhere' })), ['Error', 'unknown_stage'])
  assert.deepEqual(codeOf(() => index.ask({ question: '見積', k: 'five' })), ['TypeError', 'invalid_input'])
  assert.deepEqual(codeOf(() => tokenize(null)), ['TypeError', 'invalid_input'])
})
