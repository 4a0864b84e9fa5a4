-- tg_admit_v2: reserves 1 request, a concurrency lease and ARGV[2] tokens in every scope, all or none.
-- ARGV[2] = tokens, ARGV[3] = lease ms, ARGV[4] = record TTL ms. A reservation id already live is answered
-- granted without consuming again (a retried reserve); one already settled is refused.
local now = clock()
local id, tokens, lease_ms, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local list = scopes()
local lv = levels(list, now)
local v = verdict()
local status = redis.call('HGET', KEYS[1], 's')
if status == 'settled' then
  deny(v, 1, CONCURRENCY, CONCURRENCY_RETRY)
  return reply(false, v, list, lv, nil, now)
elseif status then
  return reply(true, v, list, lv, nil, now)
end

local budgets = {}
for i, s in ipairs(list) do
  check_bucket(v, i, RPM, s.rpm, lv[i].rpm, 1)
  check_bucket(v, i, TPM, s.tpm, lv[i].tpm, tokens)
  if s.conc >= 0 then
    redis.call('ZREMRANGEBYSCORE', s.conc_key, '-inf', int(now))
    if redis.call('ZCARD', s.conc_key) >= s.conc then deny(v, i, CONCURRENCY, CONCURRENCY_RETRY) end
  end
  budgets[i] = check_budget(v, i, s, now, tokens)
end
if v.scope > 0 then
  return reply(false, v, list, lv, budgets, now)
end

for i, s in ipairs(list) do
  take(s, lv[i], budgets[i], now, 1, tokens)
  lease(s, id, now, lease_ms)
end
local day = period('d', now)
local month = period('m', now)
redis.call('HSET', KEYS[1], 's', 'live', 'r', int(tokens), 'd', day, 'm', month)
redis.call('PEXPIRE', KEYS[1], int(ttl))
return reply(true, v, list, lv, budgets, now)
