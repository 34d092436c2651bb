-- wrk script: POST the request body in $BODY (the 50-activity score request by default) and print
-- exact figures at the end.
local path = os.getenv("BODY") or "benches/server/score-50.json"
local file = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write("== figures\n")
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("seconds %.3f\n", seconds))
  io.write(string.format("rps %.0f\n", summary.requests / seconds))
  io.write(string.format("p50_ms %.3f\n", latency:percentile(50) / 1000))
  io.write(string.format("p99_ms %.3f\n", latency:percentile(99) / 1000))
  io.write(string.format("max_ms %.3f\n", latency.max / 1000))
  io.write(string.format("errors %d\n", e.connect + e.read + e.write + e.status + e.timeout))
  io.write(string.format("non_2xx %d\n", e.status))
end
