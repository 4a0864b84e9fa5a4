-- tg_check_v1: would tg_admit_v2 grant 1 request, a concurrency lease and ARGV[2] tokens in every scope right
-- now? Answers like tg_admit_v2 and changes nothing (no reservation, no lease, no bucket or budget write).
local now = clock()
local tokens = tonumber(ARGV[2])
local list = scopes()
local lv = levels(list, now)
local v = verdict()
local budgets = {}
for i, s in ipairs(list) do
  check_bucket(v, i, RPM, s.rpm, lv[i].rpm, 1)
  check_bucket(v, i, TPM, s.tpm, lv[i].tpm, tokens)
  if s.conc >= 0 and redis.call('ZCOUNT', s.conc_key, '(' .. int(now), '+inf') >= s.conc then
    deny(v, i, CONCURRENCY, CONCURRENCY_RETRY)
  end
  budgets[i] = check_budget(v, i, s, now, tokens)
end
return reply(v.scope == 0, v, list, lv, budgets, now)
