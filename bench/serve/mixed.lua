-- wrk: GET and PATCH /hoks/:id in turn over the ids 1..HOKS_BENCH_IDS (bench/serve/memory).
local ids
local n = 0
function init(args)
  ids = tonumber(os.getenv("HOKS_BENCH_IDS") or "1000")
  wrk.headers["caller-id"] = "bench"
  wrk.headers["ticket"] = "ST-bench"
  wrk.headers["content-type"] = "application/json"
end
function request()
  n = n + 1
  local id = math.random(1, ids)
  local path = "/ehoks-virkailija-backend/api/v1/hoks/" .. id
  if n % 2 == 0 then return wrk.format("GET", path) end
  return wrk.format("PATCH", path, nil, string.format('{"id":%d,"versio":%d}', id, n))
end
