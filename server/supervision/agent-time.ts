import type { Redis } from 'ioredis';

/*
 * Occupancy needs how long each agent was busy and staffed today, but the ACD keeps only the status
 * an agent is in now. Each live computation hands every agent's (status, since) to this script, which
 * closes the previous period of an agent whose status changed and adds it to today's totals. It runs
 * atomically, so computations in several processes never count a period twice. A status held for
 * less than the time between two computations is counted in the status before it.
 */
const SCRIPT = `
local seen, totals = KEYS[1], KEYS[2]
local day_start = tonumber(ARGV[1])
local busy = { reserved = true, on_call = true, wrap_up = true }
for i = 3, #ARGV, 3 do
  local id, status, since = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  local current = status .. '|' .. ARGV[i + 2]
  local previous = redis.call('HGET', seen, id)
  if previous ~= current then
    if previous then
      local sep = string.find(previous, '|', 1, true)
      local was = string.sub(previous, 1, sep - 1)
      local ms = since - math.max(tonumber(string.sub(previous, sep + 1)), day_start)
      if ms > 0 and was ~= 'offline' and was ~= 'break' then
        redis.call('HINCRBY', totals, id .. ':staffed', ms)
        if busy[was] then redis.call('HINCRBY', totals, id .. ':busy', ms) end
      end
    end
    redis.call('HSET', seen, id, current)
  end
end
redis.call('EXPIRE', totals, ARGV[2])
return redis.call('HGETALL', totals)
`;

export interface AgentTimes {
  busyMs: number;
  staffedMs: number;
}

/** Today's busy and staffed time per agent, before each agent's current status. */
export function createAgentTimes(options: { redis: Redis; prefix: string }) {
  const { redis, prefix } = options;
  return {
    async record(
      dayStart: Date,
      agents: { agentId: number; status: string; statusSinceMs: number }[],
    ): Promise<Map<number, AgentTimes>> {
      const args = agents.flatMap((a) => [String(a.agentId), a.status, String(a.statusSinceMs)]);
      const flat = (await redis.eval(
        SCRIPT,
        2,
        `${prefix}agent-status-seen`,
        `${prefix}agent-times:${dayStart.getTime()}`,
        String(dayStart.getTime()),
        String(2 * 86_400),
        ...args,
      )) as string[];
      const times = new Map<number, AgentTimes>();
      for (let i = 0; i < flat.length; i += 2) {
        const [id, kind] = flat[i]!.split(':');
        const entry = times.get(Number(id)) ?? { busyMs: 0, staffedMs: 0 };
        if (kind === 'busy') entry.busyMs = Number(flat[i + 1]);
        else entry.staffedMs = Number(flat[i + 1]);
        times.set(Number(id), entry);
      }
      return times;
    },
  };
}
