-- wrk: POST /hoks with a ~14 KB HOKS (anonymised-example-1.json), each with a study right of its own.
local body_template
local counter = 0
thread_id = 0  -- set per thread by setup()
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

-- The Luhn check digit of OPH oids (ehoks-model.md §3.2) for a 10-digit payload.
local function luhn(payload)
  local s = 0
  for i = 10, 1, -1 do
    local d = tonumber(payload:sub(i, i))
    if (10 - i) % 2 == 0 then
      d = d * 2
      if d > 9 then d = d - 9 end
    end
    s = s + d
  end
  return (10 - s % 10) % 10
end

function init(args)
  local f = assert(io.open(os.getenv("HOKS_BENCH_DOC"), "rb"))
  body_template = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["caller-id"] = "bench"
  wrk.headers["ticket"] = "ST-bench"
  wrk.headers["content-type"] = "application/json"
  math.randomseed(os.time() + thread_id * 7919)
  base = tonumber(os.getenv("HOKS_BENCH_BASE") or "0")
end

function request()
  counter = counter + 1
  local payload = string.format("1%01d%02d%06d", base % 10, thread_id, counter)
  local oid = "1.2.246.562.15." .. payload .. luhn(payload)
  local body = body_template:gsub("1%.2%.246%.562%.15%.%d+", oid, 1)
  return wrk.format(nil, "/ehoks-virkailija-backend/api/v1/hoks", nil, body)
end

local statuses = {}
function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end
