// POST /score with a score request as JSON ({deals, activities, as_of}); answers the reports.
// The body goes to the thread pool as is (scoreJsonAsync), so large batches never block the
// event loop, and the JSON the core writes is sent on unchanged.
const http = require('node:http')
const { Model, scoreJsonAsync } = require('dealscore')

const model = Model.default()
const LIMIT = 256 * 1024 * 1024 // bytes

async function handle(req, res) {
  if (req.method !== 'POST' || req.url !== '/score') {
    return send(res, 404, { code: 'not_found', message: `${req.method} ${req.url}` })
  }
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > LIMIT) return send(res, 413, { code: 'limit_exceeded', message: `body over ${LIMIT} bytes` })
    chunks.push(chunk)
  }
  try {
    const reports = await scoreJsonAsync(Buffer.concat(chunks), model, AbortSignal.timeout(60_000))
    res.writeHead(200, { 'content-type': 'application/json' }).end(reports)
  } catch (e) {
    // Every dealscore error has a stable `code`: the caller's input was wrong, except for a
    // caught panic (`internal`). A timed-out job rejects with an AbortError.
    const status = e.name === 'AbortError' ? 503 : e.code === 'internal' ? 500 : 400
    send(res, status, { code: e.code, message: e.message, path: e.path })
  }
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

module.exports = { handle, server: http.createServer(handle) }

if (require.main === module) {
  module.exports.server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1')
}
