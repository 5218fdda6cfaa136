-- wrk: GET /hoks/:id over the ids 1..HOKS_BENCH_IDS.
local ids
function init(args)
  ids = tonumber(os.getenv("HOKS_BENCH_IDS") or "1000")
  wrk.headers["caller-id"] = "bench"
  wrk.headers["ticket"] = "ST-bench"
end
function request()
  return wrk.format("GET", "/ehoks-virkailija-backend/api/v1/hoks/" .. math.random(1, ids))
end
