-- Requests for wrk: each thread walks its own share of a numbered sequence, so no two
-- requests of one run use the same (employee, date) pair.
--   BENCH_TOKENS  file with one bearer token per line (employee i = line i)
--   BENCH_PATHS   file with one request path per line, used in turn (GET)
--   BENCH_BODY    file with a JSON order body containing @DATE@ (POST /api/orders)
--   BENCH_DATES   file with one date per line; BENCH_THREADS: wrk's -t
--   BENCH_DELAY_MS  pause before each request of a connection (a paced run)
--   BENCH_OFFSET  where in the sequence this run starts (after an earlier run's share)
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local function lines(path)
  local out = {}
  if path == nil or path == "" then return out end
  for line in io.lines(path) do out[#out + 1] = line end
  return out
end

function init(args)
  tokens = lines(os.getenv("BENCH_TOKENS"))
  paths = lines(os.getenv("BENCH_PATHS"))
  dates = lines(os.getenv("BENCH_DATES"))
  nthreads = tonumber(os.getenv("BENCH_THREADS"))
  pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
  offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
  local body_path = os.getenv("BENCH_BODY")
  body = nil
  if body_path ~= nil and body_path ~= "" then
    local f = io.open(body_path, "r")
    body = f:read("*a")
    f:close()
  end
  count = 0
end

function delay()
  return pause
end

function request()
  local n = offset + count * nthreads + tid
  count = count + 1
  local employee = n % #tokens
  local headers = {}
  headers["Authorization"] = "Bearer " .. tokens[employee + 1]
  if body == nil then
    return wrk.format("GET", paths[(n % #paths) + 1], headers)
  end
  local day = math.floor(n / #tokens) % #dates
  headers["Content-Type"] = "application/json"
  local text = string.gsub(body, "@DATE@", dates[day + 1])
  return wrk.format("POST", "/api/orders", headers, text)
end

function done(summary, latency, requests)
  local e = summary.errors
  -- The threads walk the sequence in step but not at one speed: the next run must start
  -- past the furthest number any thread used (sent, answered or not), not past the count.
  local used = 0
  for _, thread in ipairs(threads) do
    used = math.max(used, (thread:get("count") or 0) * #threads)
  end
  io.write(string.format(
    "BENCHJSON {\"requests\": %d, \"micros\": %d, \"p50\": %d, \"p99\": %d, " ..
    "\"status_errors\": %d, \"socket_errors\": %d, \"used\": %d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout, used))
end
