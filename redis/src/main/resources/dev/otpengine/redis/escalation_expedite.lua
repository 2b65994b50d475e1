-- Makes a request's step due now if its last step went out through the given channel and it is not due already.
-- KEYS as in escalation_put.lua. A step is text whose first three lines are the channel it went out through and its
-- due time (epoch second, nano). ARGV: 1 request id, 2 the channel, 3-4 now (second, nano), 5 now in ms (rounded up).
local step = redis.call('hget', KEYS[2], ARGV[1])
if not step then
  return 0
end
local a = string.find(step, '\n', 1, true)
local b = string.find(step, '\n', a + 1, true)
local c = string.find(step, '\n', b + 1, true)
if string.sub(step, 1, a - 1) ~= ARGV[2] then
  return 0
end
local due_s, due_n = tonumber(string.sub(step, a + 1, b - 1)), tonumber(string.sub(step, b + 1, c - 1))
local now_s, now_n = tonumber(ARGV[3]), tonumber(ARGV[4])
if due_s < now_s or (due_s == now_s and due_n <= now_n) then
  return 0
end
redis.call('hset', KEYS[2], ARGV[1], ARGV[2] .. '\n' .. ARGV[3] .. '\n' .. ARGV[4] .. string.sub(step, c))
redis.call('zadd', KEYS[1], ARGV[5], ARGV[1])
return 1
