-- Keeps an escalation step until it is due, replacing one kept for the same request id.
-- KEYS[1]: the due-time index (sorted set: request id by due time, ms); KEYS[2]: the steps (hash: request id to step).
-- ARGV: 1 request id, 2 due time in ms (rounded up, so a step is never handed out before it is due), 3 the step.
redis.call('hset', KEYS[2], ARGV[1], ARGV[3])
redis.call('zadd', KEYS[1], ARGV[2], ARGV[1])
return 1
