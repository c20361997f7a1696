//! The Lua scripts of `RedisLimitStore`: one per decision, run atomically by Redis with its
//! own clock (`TIME`), so processes on hosts with skewed clocks still agree. Times are in
//! microseconds since the Unix epoch (exact in a Lua number until the year 2255).

/// The clock and the per-member window check, shared by both member scripts.
///
/// ARGV: `n` (limits), then `max_i, window_us_i` for each limit, then a random tag that
/// makes this decision's entries unique. Each member key is a sorted set of send times
/// (score and member = time in µs, plus the tag).
const MEMBERS_COMMON: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local n = tonumber(ARGV[1])
local maxs, windows, horizon = {}, {}, 0
for i = 1, n do
  maxs[i] = tonumber(ARGV[2 * i])
  windows[i] = tonumber(ARGV[2 * i + 1])
  if windows[i] > horizon then horizon = windows[i] end
end
local entry = string.format('%.0f', now) .. ':' .. ARGV[2 * n + 2]
local now_s = string.format('%.0f', now)
local ttl_ms = math.ceil(horizon / 1000) + 1000
-- Microseconds until one more send fits every limit of member key k (0: now).
local function wait_for(k)
  redis.call('ZREMRANGEBYSCORE', k, '-inf', string.format('%.0f', now - horizon))
  local wait = 0
  for i = 1, n do
    local from = '(' .. string.format('%.0f', now - windows[i])
    local count = redis.call('ZCOUNT', k, from, '+inf')
    if count >= maxs[i] then
      -- The (count - max + 1) oldest sends in the window must leave it first.
      local e = redis.call('ZRANGEBYSCORE', k, from, '+inf', 'WITHSCORES', 'LIMIT', count - maxs[i], 1)
      local w = tonumber(e[2]) + windows[i] - now
      if w > wait then wait = w end
    end
  end
  return wait
end
local function record(k)
  redis.call('ZADD', k, now_s, entry)
  redis.call('PEXPIRE', k, ttl_ms)
end
";

/// Delay mode: all members or none. Returns the wait in µs (0: counted for all).
pub(super) fn members_all() -> String {
    format!(
        "{MEMBERS_COMMON}
local wait = 0
for _, k in ipairs(KEYS) do
  local w = wait_for(k)
  if w > wait then wait = w end
end
if wait > 0 then return math.ceil(wait) end
for _, k in ipairs(KEYS) do record(k) end
return 0
"
    )
}

/// Report mode: each member that fits is counted; returns the 0-based positions of the others.
pub(super) fn members_each() -> String {
    format!(
        "{MEMBERS_COMMON}
local held = {{}}
for i, k in ipairs(KEYS) do
  if wait_for(k) > 0 then held[#held + 1] = i - 1 else record(k) end
end
return held
"
    )
}

/// The app-wide rate, GCRA: KEYS[1] holds the theoretical arrival time of the next request.
/// ARGV: interval_us, tolerance_us. Returns the wait in µs for the slot it reserved.
pub(super) const RATE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end
local next_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1000)
local allowed = tat - tolerance
if allowed > now then return math.ceil(allowed - now) end
return 0
";

/// A webhook's sliding window of reserved send slots: KEYS[1] is a sorted set of slot times.
/// ARGV: max, window_us, report (1/0), tag. Returns the wait in µs for the reserved slot, or
/// minus the wait when `report` and no slot is free now (nothing reserved).
pub(super) const WEBHOOK: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
local n = redis.call('ZCARD', KEYS[1])
local slot = now
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] and tonumber(last[2]) > slot then slot = tonumber(last[2]) end
if n >= max then
  local e = redis.call('ZRANGE', KEYS[1], n - max, n - max, 'WITHSCORES')
  local free = tonumber(e[2]) + window
  if free > slot then slot = free end
end
local wait = slot - now
if ARGV[3] == '1' and wait > 0 then return -math.ceil(wait) end
local s = string.format('%.0f', slot)
redis.call('ZADD', KEYS[1], s, s .. ':' .. ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil((slot + window - now) / 1000) + 1000)
return math.ceil(wait)
";
