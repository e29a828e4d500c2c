-- wrk script: each thread replays its own file of pre-signed Stripe deliveries (EVENTS_FILE.<thread>), each once.
-- WRK_PACE_MS paces it, one request per connection every that many ms, in one of two ways (WRK_PACE):
--   schedule (default): each thread sends on a fixed timetable (WRK_CONNECTIONS / threads connections sharing
--     it), so the offered rate is the same however long responses take (as long as they take less than the
--     interval) and a slow answer does not lower the load;
--   delay: each connection waits the interval after every response (closed loop), so the achieved rate falls
--     as latency grows: 20 connections x 10 ms offers 2,000/s only to a server that answers instantly.
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

local pace = tonumber(os.getenv("WRK_PACE_MS") or "")
if pace and os.getenv("WRK_PACE") == "delay" then
  function delay() return pace end
elseif pace then
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } pace_timespec;
    int clock_gettime(int clock, pace_timespec *ts);
  ]]
  local ts = ffi.new("pace_timespec")
  local function now_ms()
    ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local per_thread = tonumber(os.getenv("WRK_CONNECTIONS")) / tonumber(os.getenv("WRK_THREADS"))
  local step = pace / per_thread -- this thread's slots: one every step ms
  local start, slot
  function delay()
    local now = now_ms()
    if not start then start, slot = now, 0 end
    slot = slot + 1
    local wait = start + slot * step - now
    if wait < 0 then return 0 end
    return math.floor(wait)
  end
end

-- One machine-readable line for webhook-load.sh.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d rps=%.0f p50=%.2f p99=%.2f p999=%.2f non2xx=%d errors=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, summary.errors.status, errors))
end
