-- Takes the steps due by now out of the store and returns them: atomic, so of nodes that claim at once each step goes
-- to exactly one. KEYS as in escalation_put.lua. ARGV: 1 now in ms (rounded down), 2 the most steps to take.
local ids = redis.call('zrangebyscore', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local steps = {}
for _, id in ipairs(ids) do
  redis.call('zrem', KEYS[1], id)
  local step = redis.call('hget', KEYS[2], id)
  redis.call('hdel', KEYS[2], id)
  if step then
    steps[#steps + 1] = step
  end
end
return steps
