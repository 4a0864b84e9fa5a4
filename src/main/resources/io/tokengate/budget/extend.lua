-- tg_extend_v2: adds ARGV[2] tokens to a live reservation in every scope (tokens per minute and budget), all
-- or none, and renews its leases. ARGV[3] = lease ms, ARGV[4] = record TTL ms. Unknown or settled: refused.
local now = clock()
local id, more, lease_ms, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local list = scopes()
local lv = levels(list, now)
local v = verdict()
local record = redis.call('HMGET', KEYS[1], 's', 'd', 'm')
if record[1] ~= 'live' then
  deny(v, 1, CONCURRENCY, CONCURRENCY_RETRY)
  return reply(false, v, list, lv, nil, now)
end

local budgets = {}
for i, s in ipairs(list) do
  check_bucket(v, i, TPM, s.tpm, lv[i].tpm, more)
  budgets[i] = check_budget(v, i, s, now, more)
end
if v.scope > 0 then
  return reply(false, v, list, lv, budgets, now)
end

local charged = {d = record[2], m = record[3]}
for i, s in ipairs(list) do
  take(s, lv[i], budgets[i], now, 0, more)
  lease(s, id, now, lease_ms)
  if budgets[i] and s.period ~= 't' and budgets[i].pid ~= charged[s.period] then
    redis.call('HSET', KEYS[1], s.period, '-')
  end
end
redis.call('HINCRBY', KEYS[1], 'r', int(more))
redis.call('PEXPIRE', KEYS[1], int(ttl))
return reply(true, v, list, lv, budgets, now)
