-- Bucket4j's compare-and-swap of one bucket's state, answering with the state it found when the swap loses, so that
-- the next try needs no read of its own.
-- KEYS[1]: the bucket. ARGV: 1 the state the new one was computed from ('' if the bucket was missing), 2 the new state,
-- 3 time to live in ms (0: none).
-- Returns {1} if swapped, else {0, the state found} ({0} if the bucket is missing).
local found = redis.call('get', KEYS[1])
if (found == false and ARGV[1] == '') or found == ARGV[1] then
  if tonumber(ARGV[3]) > 0 then
    redis.call('set', KEYS[1], ARGV[2], 'px', ARGV[3])
  else
    redis.call('set', KEYS[1], ARGV[2])
  end
  return {1}
end
return {0, found}
