/**
 * The ACD's eligibility rule (`qualifies` in queues/lua/prelude.lua), applied here to the agents'
 * and queues' configured skills: an agent qualifies for a CallQueue with every required skill at or
 * above its proficiency. Reading it from the ACD would mean one scan of every agent per queue, in
 * Redis, on every computation of the live views.
 */
export function qualifies(
  agentSkills: readonly { skill: string; proficiency: number }[],
  required: readonly { skill: string; minProficiency: number }[],
): boolean {
  return required.every((r) =>
    agentSkills.some((s) => s.skill === r.skill && s.proficiency >= r.minProficiency),
  );
}
