-- tokengate limit store: the part shared by admit.lua, extend.lua and settle.lua, prepended to each of them
-- (see RedisLimitStore). The same arithmetic as Bucket, BudgetPeriod and ScopeState in Java.
--
-- KEYS[1]: the reservation record tg:{t:<tenant>}:res:<id>, a hash: s = live | settled, r = tokens reserved,
--          d / m = the day / month ids its budget tokens were charged to ('-': crossed into a new period).
-- KEYS[2..]: four keys per scope, tg:{t:<tenant>}:lim:<scope>:rpm | :tpm | :conc | :budget.
-- ARGV[1]: the reservation id; ARGV[2..4]: three numbers of the operation; ARGV[5]: the number of scopes;
-- then five per scope: requests/min, tokens/min, max concurrent, budget limit (-1: unlimited), period d|m|t.
local MINUTE = 60000
local DAY = 86400000
local BUDGET_MARGIN = 3600000
local CONCURRENCY_RETRY = 1000
local RPM, TPM, CONCURRENCY, BUDGET = 1, 2, 3, 4

local function int(x)
  return string.format('%d', x)
end

local function clamp(x, lo, hi)
  return math.max(lo, math.min(hi, x))
end

-- The server's clock in whole milliseconds; effects replication, so writes after TIME are allowed (6.2).
local function clock()
  redis.replicate_commands()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function scopes()
  local list = {}
  for i = 1, tonumber(ARGV[5]) do
    local a, k = 5 + (i - 1) * 5, 1 + (i - 1) * 4
    list[i] = {rpm_key = KEYS[k + 1], tpm_key = KEYS[k + 2], conc_key = KEYS[k + 3], budget_key = KEYS[k + 4],
      rpm = tonumber(ARGV[a + 1]), tpm = tonumber(ARGV[a + 2]), conc = tonumber(ARGV[a + 3]),
      budget = tonumber(ARGV[a + 4]), period = ARGV[a + 5]}
  end
  return list
end

-- Token buckets: a hash l (tokens left, exact double) and t (ms); absent = full. Refilled at cap per minute.
local function level(key, cap, now)
  if cap < 0 then return 0 end
  local v = redis.call('HMGET', key, 'l', 't')
  if not v[1] then return cap end
  return math.min(cap, tonumber(v[1]) + math.max(0, now - tonumber(v[2])) * cap / MINUTE)
end

local function save_level(key, cap, lvl, now)
  if lvl >= cap then
    redis.call('DEL', key)
    return
  end
  lvl = math.max(0, lvl)
  redis.call('HSET', key, 'l', string.format('%.17g', lvl), 't', int(now))
  redis.call('PEXPIRE', key, int(math.ceil((cap - lvl) * MINUTE / cap) + 1000))
end

local function bucket_wait(cap, lvl, cost)
  if cost > cap then return MINUTE end
  if lvl >= cost then return 0 end
  return math.ceil((cost - lvl) * MINUTE / cap)
end

local function levels(list, now)
  local lv = {}
  for i, s in ipairs(list) do
    lv[i] = {rpm = level(s.rpm_key, s.rpm, now), tpm = level(s.tpm_key, s.tpm, now)}
  end
  return lv
end

-- The UTC calendar (Howard Hinnant's civil_from_days / days_from_civil).
local function civil(days)
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m, d
end

local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = m > 2 and m - 3 or m + 9
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

-- The id of the budget period containing now and when it ends (nil: never).
local function period(kind, now)
  if kind == 't' then return 'total', nil end
  local days = math.floor(now / DAY)
  local y, m, d = civil(days)
  if kind == 'd' then return string.format('%04d%02d%02d', y, m, d), (days + 1) * DAY end
  local ny, nm = y, m + 1
  if nm > 12 then ny, nm = y + 1, 1 end
  return string.format('%04d%02d', y, m), days_from_civil(ny, nm, 1) * DAY
end

-- Budgets: a hash p (period id) and u (tokens used in it); another period's count reads as 0.
local function used(key, pid)
  local v = redis.call('HMGET', key, 'p', 'u')
  if v[1] == pid then return tonumber(v[2]) end
  return 0
end

local function save_used(key, pid, u, ends)
  redis.call('HSET', key, 'p', pid, 'u', int(u))
  if ends then
    redis.call('PEXPIREAT', key, int(ends + BUDGET_MARGIN))
  else
    redis.call('PERSIST', key)
  end
end

-- The verdict: the denial with the longest Retry-After (the first on a tie), as Verdict.java.
local function verdict()
  return {scope = 0, reason = 0, wait = 0}
end

local function deny(v, i, reason, wait)
  if v.scope == 0 or wait > v.wait then
    v.scope, v.reason, v.wait = i, reason, wait
  end
end

local function check_bucket(v, i, reason, cap, lvl, cost)
  if cap >= 0 then
    local wait = bucket_wait(cap, lvl, cost)
    if wait > 0 then deny(v, i, reason, wait) end
  end
end

local function check_budget(v, i, s, now, cost)
  if s.budget < 0 then return nil end
  local pid, ends = period(s.period, now)
  local u = used(s.budget_key, pid)
  if u + cost > s.budget then deny(v, i, BUDGET, ends and ends - now or DAY) end
  return {pid = pid, ends = ends, used = u}
end

-- Takes what was checked; lv and b (from check_budget) are updated to the states after.
local function take(s, lv, b, now, requests, cost)
  if s.rpm >= 0 and requests > 0 then
    lv.rpm = lv.rpm - requests
    save_level(s.rpm_key, s.rpm, lv.rpm, now)
  end
  if s.tpm >= 0 and cost > 0 then
    lv.tpm = lv.tpm - cost
    save_level(s.tpm_key, s.tpm, lv.tpm, now)
  end
  if b and cost > 0 then
    b.used = b.used + cost
    save_used(s.budget_key, b.pid, b.used, b.ends)
  end
end

local function lease(s, id, now, ms)
  if s.conc >= 0 then
    redis.call('ZADD', s.conc_key, int(now + ms), id)
    redis.call('PEXPIRE', s.conc_key, int(ms + 1000))
  end
end

-- The reply: granted, denied scope (1-based, 0: none), reason, Retry-After ms, then per scope the request, token
-- and budget states as limit, remaining, reset ms (-1, -1, -1: not limited). A budget's reset is the ms until its
-- period ends (-1 for a total budget, which never resets). Readers accept the reply without the budget states
-- too (6 numbers per scope, as tg_admit_v1 / tg_extend_v1 answered).
local function state(out, cap, lvl)
  local n = #out
  if cap < 0 then
    out[n + 1], out[n + 2], out[n + 3] = -1, -1, -1
  else
    local reset = 0
    if cap > 0 then reset = math.ceil((cap - lvl) * MINUTE / cap) end
    out[n + 1], out[n + 2], out[n + 3] = cap, math.floor(math.max(0, lvl)), reset
  end
end

-- b: check_budget's result for the scope (after take), or nil when the call did not check it: then it is read.
local function budget_state(out, s, b, now)
  local n = #out
  if s.budget < 0 then
    out[n + 1], out[n + 2], out[n + 3] = -1, -1, -1
    return
  end
  if not b then
    local pid, ends = period(s.period, now)
    b = {pid = pid, ends = ends, used = used(s.budget_key, pid)}
  end
  out[n + 1], out[n + 2], out[n + 3] = s.budget, math.max(0, s.budget - b.used), b.ends and b.ends - now or -1
end

-- budgets: check_budget's results by scope, or nil (nothing checked).
local function reply(granted, v, list, lv, budgets, now)
  local out = {granted and 1 or 0, v.scope, v.reason, v.wait}
  for i, s in ipairs(list) do
    state(out, s.rpm, lv[i].rpm)
    state(out, s.tpm, lv[i].tpm)
    budget_state(out, s, budgets and budgets[i], now)
  end
  return out
end
