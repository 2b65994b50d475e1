-- Stores a code and withdraws what its widget had pending at any of its addresses, in one atomic step; unless asked to
-- check the block list and the widget is on it.
-- KEYS[1]: the new code's hash; KEYS[2]: the set of blocked widgets; KEYS[3..]: the index key of each address (widget
-- and address: "the newest code").
-- ARGV: 1 request id, 2 prefix of code keys, 3-4 now (epoch second, nano), 5-6 expiry (second, nano),
--       7 time to live in ms (garbage collection only), 8 tag (hex), 9 widget id, 10 recipient, 11 max attempts,
--       12 '1' to refuse a blocked widget's code, else '0'.
-- Returns 1, 0 if a code is already stored under this request id, -1 if the widget is blocked (nothing changed).
local function before(s1, n1, s2, n2)
  return s1 < s2 or (s1 == s2 and n1 < n2)
end
if ARGV[12] == '1' and redis.call('sismember', KEYS[2], ARGV[9]) == 1 then
  return -1
end
if redis.call('exists', KEYS[1]) == 1 then
  return 0
end
local now_s, now_n = tonumber(ARGV[3]), tonumber(ARGV[4])
for i = 3, #KEYS do
  local old = redis.call('get', KEYS[i])
  if old and old ~= ARGV[1] then
    local old_key = ARGV[2] .. old
    local e = redis.call('hmget', old_key, 'es', 'en')
    -- a code still in time is withdrawn; an expired one only loses its place, so a late guess is told EXPIRED
    if e[1] and before(now_s, now_n, tonumber(e[1]), tonumber(e[2])) then
      redis.call('del', old_key)
    end
  end
  redis.call('set', KEYS[i], ARGV[1], 'px', ARGV[7])
end
redis.call('hset', KEYS[1], 'es', ARGV[5], 'en', ARGV[6], 't', ARGV[8], 'w', ARGV[9], 'r', ARGV[10],
  'm', ARGV[11], 'f', 0)
redis.call('pexpire', KEYS[1], ARGV[7])
return 1
