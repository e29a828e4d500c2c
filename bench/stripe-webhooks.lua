-- wrk script: each thread replays its own file of pre-signed Stripe deliveries (EVENTS_FILE.<thread>), each once.
-- WRK_DELAY_MS paces it: every connection waits that long after each response before its next request.
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  requests = {}
  for line in io.lines(os.getenv("EVENTS_FILE") .. "." .. id) do
    local tab = line:find("\t", 1, true)
    requests[#requests + 1] = wrk.format("POST", "/webhooks/stripe",
      { ["Content-Type"] = "application/json", ["Stripe-Signature"] = line:sub(1, tab - 1) }, line:sub(tab + 1))
  end
  n = 0
end

function request()
  n = n + 1
  if n > #requests then n = 1 end -- wrapped: later deliveries are redeliveries (answered "duplicate")
  return requests[n]
end

local pace = tonumber(os.getenv("WRK_DELAY_MS") or "")
if pace then
  function delay() return pace end
end

-- One machine-readable line for webhook-load.sh.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d rps=%.0f p50=%.2f p99=%.2f p999=%.2f non2xx=%d errors=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, summary.errors.status, errors))
end
