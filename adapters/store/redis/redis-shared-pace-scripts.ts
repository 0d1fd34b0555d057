/**
 * The shared pace's Lua scripts, one per operation, each atomic on one pace's two keys:
 * KEYS[1] a hash (`p`: paused until; `<bucket>`: its level; `<bucket>@`: when it was last
 * refilled) and KEYS[2] a sorted set of leases scored by their expiry. They mirror
 * `src/pacing/shared-pace-memory.ts` step by step.
 *
 * Times are the caller's clock, and a bucket's time never runs back (`t = max(now, at)`): a
 * process whose clock is behind gets no refill until its clock passes the latest one seen, and one
 * ahead by S ms gains at most S ms of refill once (clamped to the capacity), after which every
 * process paces from the same frontier. Pauses and lease expiries are off by the skew at most,
 * which NTP keeps to milliseconds against retry-afters of seconds and leases of minutes.
 */

/** Idle state lives at least this long (real time): longer than any bucket takes to refill from empty at its own pace. */
const MIN_TTL_MS = 5 * 60_000;

const COMMON = `
local MIN_TTL = ${MIN_TTL_MS}
local function refill(name, cap, rate, now)
  local v = redis.call('HMGET', KEYS[1], name, name .. '@')
  local lv, at = tonumber(v[1]), tonumber(v[2])
  if lv == nil or at == nil then return cap, now end
  local t = math.max(now, at)
  return math.min(cap, lv + (t - at) * rate), t
end
local function keep(ms)
  if ms > redis.call('PTTL', KEYS[1]) then redis.call('PEXPIRE', KEYS[1], math.ceil(ms)) end
end
local function untilFull(l, cap, rate)
  if rate > 0 then return math.max(MIN_TTL, (cap - l) / rate + 1000) end
  return MIN_TTL
end
`;

/** ARGV: now, lease id, lease ms, concurrency, then per bucket: name, need, capacity, rate per ms. Returns {ok, waitMs, why}. */
export const ADMIT_LUA = `${COMMON}
local now, lease, leaseMs, conc = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local paused = tonumber(redis.call('HGET', KEYS[1], 'p') or '0')
if paused > now then return {0, math.ceil(paused - now), 'paused'} end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= conc then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {0, math.max(1, math.ceil(tonumber(first[2]) - now)), 'concurrency'}
end
local worst, why, lv, at = 0, '', {}, {}
for i = 5, #ARGV, 4 do
  local need, cap, rate = tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])
  lv[i], at[i] = refill(ARGV[i], cap, rate, now)
  local short = math.min(need, cap) - lv[i]
  if short > 0 then
    local w = math.max(1, math.ceil(short / rate))
    if w > worst then worst, why = w, ARGV[i] end
  end
end
if worst > 0 then return {0, worst, why} end
local ttl = MIN_TTL
for i = 5, #ARGV, 4 do
  local l = lv[i] - tonumber(ARGV[i + 1])
  redis.call('HSET', KEYS[1], ARGV[i], tostring(l), ARGV[i] .. '@', tostring(at[i]))
  ttl = math.max(ttl, untilFull(l, tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])))
end
keep(ttl)
redis.call('ZADD', KEYS[2], now + leaseMs, lease)
redis.call('PEXPIRE', KEYS[2], math.ceil(leaseMs + MIN_TTL))
return {1, 0, ''}
`;

/** ARGV: now, lease id, then per bucket: name, correction (used minus reserved), capacity, rate per ms. */
export const SETTLE_LUA = `${COMMON}
local now = tonumber(ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[2])
local ttl = MIN_TTL
for i = 3, #ARGV, 4 do
  local cap, rate = tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])
  local l, t = refill(ARGV[i], cap, rate, now)
  l = math.min(cap, l - tonumber(ARGV[i + 1]))
  redis.call('HSET', KEYS[1], ARGV[i], tostring(l), ARGV[i] .. '@', tostring(t))
  ttl = math.max(ttl, untilFull(l, cap, rate))
end
keep(ttl)
return 1
`;

/** ARGV: now, paused until, drain the request bucket but for the one request its retry-after promises ('1') or not ('0'). */
export const PAUSE_LUA = `${COMMON}
local now, untilMs = tonumber(ARGV[1]), tonumber(ARGV[2])
if untilMs > tonumber(redis.call('HGET', KEYS[1], 'p') or '0') then redis.call('HSET', KEYS[1], 'p', tostring(untilMs)) end
if ARGV[3] == '1' then
  local v = redis.call('HMGET', KEYS[1], 'requests', 'requests@')
  local lv, at = tonumber(v[1]) or 1, tonumber(v[2]) or now
  redis.call('HSET', KEYS[1], 'requests', tostring(math.min(lv, 1)), 'requests@', tostring(math.max(now, at)))
end
keep(math.max(MIN_TTL, untilMs - now + MIN_TTL))
return 1
`;
