/**
 * The ACD's eligibility rule (`qualifies` in lua/prelude.lua), for callers outside Redis that hold
 * the configured skills: an agent qualifies for a CallQueue with every required skill at or above
 * its proficiency. The live views use it rather than scan every agent in Redis per queue on every
 * computation.
 */
export function qualifies(
  agentSkills: readonly { skill: string; proficiency: number }[],
  required: readonly { skill: string; minProficiency: number }[],
): boolean {
  return required.every((r) =>
    agentSkills.some((s) => s.skill === r.skill && s.proficiency >= r.minProficiency),
  );
}
