-- wrk script for tokengate saturation runs: POSTs an OpenAI chat completion on every request.
--
-- Configuration comes from the environment (so that nothing secret is on a command line):
--   BENCH_BODY          JSON body of a non-streaming request
--   BENCH_STREAM_BODY   JSON body of a streaming request (optional)
--   BENCH_STREAM_SHARE  probability 0..1 that a request uses BENCH_STREAM_BODY (default 0)
--   TOKENGATE_API_KEY   when set and non-empty: "Authorization: Bearer <key>" on every request
--
-- Every response with a status outside 200..299 counts as an error. done() prints one line that
-- bench.sh parses:
--   BENCH_RESULT requests=N non2xx=N socket_errors=N duration_us=N rps=X p50_us=N p90_us=N p99_us=N max_us=N

local threads = {}
local counter = 1

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

local plain_req, stream_req, share

function init(args)
   non2xx = 0
   statuses = {}
   math.randomseed(os.time() * 1000 + (id or 0))
   local headers = { ["Content-Type"] = "application/json" }
   local key = os.getenv("TOKENGATE_API_KEY")
   if key ~= nil and key ~= "" then
      headers["Authorization"] = "Bearer " .. key
   end
   local body = os.getenv("BENCH_BODY") or
      '{"model":"sim-llama","messages":[{"role":"user","content":"Hello"}],"max_tokens":16}'
   local stream_body = os.getenv("BENCH_STREAM_BODY") or body
   share = tonumber(os.getenv("BENCH_STREAM_SHARE") or "0") or 0
   plain_req = wrk.format("POST", wrk.path, headers, body)
   stream_req = wrk.format("POST", wrk.path, headers, stream_body)
end

function request()
   if share > 0 and math.random() < share then
      return stream_req
   end
   return plain_req
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
      statuses[status] = (statuses[status] or 0) + 1
   end
end

function done(summary, latency, requests)
   local bad = 0
   local by_status = {}
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("non2xx") or 0)
      local st = thread:get("statuses")
      if st then
         for code, n in pairs(st) do by_status[code] = (by_status[code] or 0) + n end
      end
   end
   local e = summary.errors
   local socket_errors = e.connect + e.read + e.write + e.timeout
   local rps = 0
   if summary.duration > 0 then rps = summary.requests / (summary.duration / 1e6) end
   local parts = {}
   for code, n in pairs(by_status) do table.insert(parts, "http_" .. code .. "=" .. n) end
   io.write(string.format(
      "BENCH_RESULT requests=%d non2xx=%d socket_errors=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d by_status=%s\n",
      summary.requests, bad, socket_errors, summary.duration, rps,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      table.concat(parts, ",")))
end
