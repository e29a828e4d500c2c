-- GET one path (wrk's URL) and print one machine-readable line for read-load.sh.
-- WRK_HEADER (optional) adds one request header, e.g. "If-None-Match: \"abc\"".
local header = os.getenv("WRK_HEADER")
if header and header ~= "" then
  local name, value = header:match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d rps=%.1f p50=%.2f p99=%.2f non2xx=%d errors=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, errors))
end
