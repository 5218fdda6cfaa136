-- wrk: PATCH /hoks/:id (two top-level values) over the ids 1..HOKS_BENCH_IDS.
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
  local body = string.format('{"id":%d,"versio":%d,"sahkoposti":"bench%d@example.fi"}', id, n, n)
  return wrk.format("PATCH", "/ehoks-virkailija-backend/api/v1/hoks/" .. id, nil, body)
end
