-- tg_settle_v2: releases the reservation's leases and gives back min(ARGV[2], recorded) - ARGV[3] tokens to
-- tokens per minute and budget (negative: charges the excess), clamped to [0, capacity]. ARGV[4] = how long the
-- settled marker stays. Idempotent: a settled record makes a retry a no-op (reply 0); an unknown reservation
-- gives nothing back but is marked settled too, so a late reserve of it consumes nothing.
local now = clock()
local id, reserved, actual, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local list = scopes()
local record = redis.call('HMGET', KEYS[1], 's', 'r', 'd', 'm')
if record[1] == 'settled' then
  return 0
end

local delta = 0
if record[1] == 'live' then delta = math.min(reserved, tonumber(record[2])) - actual end
local charged = {d = record[3], m = record[4], t = 'total'}
for _, s in ipairs(list) do
  redis.call('ZREM', s.conc_key, id)
  if delta ~= 0 and s.tpm >= 0 then
    save_level(s.tpm_key, s.tpm, clamp(level(s.tpm_key, s.tpm, now) + delta, 0, s.tpm), now)
  end
  if delta ~= 0 and s.budget >= 0 then
    local b = redis.call('HMGET', s.budget_key, 'p', 'u')
    if b[1] and b[1] == charged[s.period] then
      redis.call('HSET', s.budget_key, 'u', int(clamp(tonumber(b[2]) - delta, 0, s.budget)))
    end
  end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 's', 'settled')
redis.call('PEXPIRE', KEYS[1], int(ttl))
return 1
