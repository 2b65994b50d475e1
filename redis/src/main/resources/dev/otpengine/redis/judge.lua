-- Judges one guess at a code, in one atomic step.
-- KEYS[1]: the code's hash. ARGV: 1-2 now (epoch second, nano), 3 the guess's tag (hex), 4 retention in seconds,
-- 5 the widget the code must be of ('' for any: another widget's code is not found, and untouched).
-- Returns {outcome, attempts left, widget id, recipient}: outcome 0 not found (nothing else returned), 1 expired,
-- 2 attempts exceeded, 3 verified (the code is removed), 4 invalid code (one failure counted).
local function before(s1, n1, s2, n2)
  return s1 < s2 or (s1 == s2 and n1 < n2)
end
local c = redis.call('hmget', KEYS[1], 'es', 'en', 'f', 'm', 't', 'w', 'r')
if not c[1] or (ARGV[5] ~= '' and c[6] ~= ARGV[5]) then
  return {0}
end
local now_s, now_n = tonumber(ARGV[1]), tonumber(ARGV[2])
local es, en = tonumber(c[1]), tonumber(c[2])
if not before(now_s, now_n, es + tonumber(ARGV[4]), en) then
  redis.call('del', KEYS[1]) -- past its retention and not yet collected: gone, as if collected
  return {0}
end
if not before(now_s, now_n, es, en) then
  return {1, 0, c[6], c[7]}
end
local f, m = tonumber(c[3]), tonumber(c[4])
if f >= m then
  return {2, 0, c[6], c[7]}
end
-- every byte compared whatever the first difference, so the time taken tells nothing about the tag
local t, g = c[5], ARGV[3]
local d = 0
if #t ~= #g then
  d = 1
end
for i = 1, #t do
  d = bit.bor(d, bit.bxor(string.byte(t, i), string.byte(g, i) or 0))
end
if d == 0 then
  redis.call('del', KEYS[1])
  return {3, m - f, c[6], c[7]}
end
f = redis.call('hincrby', KEYS[1], 'f', 1)
return {4, m - f, c[6], c[7]}
