-- wrk script: each thread replays its share of pre-signed Stripe deliveries, each event once.
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local count = tonumber(os.getenv("WRK_THREADS") or "2")
  requests = {}
  local i = 0
  for line in io.lines(os.getenv("EVENTS_FILE")) do
    if i % count == id then
      local sig, body = line:match('^{"sig": "([^"]+)", "body": "(.*)"}$')
      body = body:gsub('\\"', '"')
      table.insert(requests, wrk.format("POST", "/webhooks/stripe",
        { ["Content-Type"] = "application/json", ["Stripe-Signature"] = sig }, body))
    end
    i = i + 1
  end
  n = 0
end

function request()
  n = n + 1
  if n > #requests then n = 1 end -- wrapped: later deliveries are redeliveries (answered "duplicate")
  return requests[n]
end

done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, non-2xx %d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status))
end
