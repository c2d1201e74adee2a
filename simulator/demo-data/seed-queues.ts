import { ArrivalCurve } from './arrival-curve.js';
import { DAY, HOUR, iso } from './random.js';
import type { SeedContext, SeededAgent, SeededCode, SeededQueue } from './seed-context.js';
import { AGENTS, QUEUES } from './staff.js';
import { CODE_SETS, SKILLS, type SkillName } from './vocabulary.js';

export function seedQueues(context: SeedContext): SeededQueue[] {
  const { random, phones, sql, insert, summary, now, days, passwordHash } = context;
  const skillIds = new Map(SKILLS.map((name) => [name, insert(sql.skill, name)]));
  const codeSets = new Map<string, { id: number; codes: SeededCode[] }>();
  for (const [setName, codes] of Object.entries(CODE_SETS)) {
    const id = insert(sql.codeSet, setName);
    codeSets.set(setName, {
      id,
      codes: codes.map((code) => ({
        ...code,
        id: insert(sql.code, id, code.code, code.label, code.action ?? 'none', code.stage ?? null),
      })),
    });
  }

  const agents = AGENTS.map((spec, index): SeededAgent => {
    const createdAt = now - 400 * DAY + index * 3 * DAY + random.int(0, 8 * HOUR);
    const phone = spec.phone ? phones.create(spec.phone) : null;
    const id = insert(
      sql.agent,
      spec.username,
      spec.displayName,
      spec.role,
      passwordHash,
      `sip:${spec.username}@cti.local`,
      phone,
      phone ? 'phone' : 'sip',
      spec.uiLanguage,
      iso(createdAt),
      iso(createdAt + random.int(0, 300) * DAY),
    );
    for (const [skill, proficiency] of Object.entries(spec.skills)) {
      sql.agentSkill.run(id, skillIds.get(skill as SkillName), proficiency);
    }
    for (const language of spec.languages) sql.agentLanguage.run(id, language);
    return { id, skills: spec.skills, languages: spec.languages, busyUntil: 0 };
  });
  summary.agents = agents.length;

  const start = now - days * DAY;
  // The last hour stays empty so every call, wrap-up included, has finished by `now`.
  const hours = days * 24 - 1;
  const curves = new Map<string, ArrivalCurve>();
  const queueIds = new Map<string, number>();
  const createdAt = now - 420 * DAY;
  const queues = QUEUES.map((spec): SeededQueue => {
    const codeSet = codeSets.get(spec.codeSet);
    if (!codeSet) throw new Error(`Wrap-up code set ${spec.codeSet} is missing`);
    const id = insert(
      sql.queue,
      spec.name,
      spec.timeZone,
      spec.priority,
      JSON.stringify(spec.priorityRules),
      spec.strategy,
      spec.slTargetSeconds,
      spec.slTargetPercent,
      spec.maxWaitSeconds,
      spec.maxWaitAction,
      spec.overflowAfterSeconds,
      spec.overflowTo === null ? null : queueIds.get(spec.overflowTo),
      spec.acwPolicy,
      spec.acwSeconds,
      codeSet.id,
      spec.recordingPolicy,
      iso(createdAt),
      iso(createdAt + random.int(1, 60) * DAY),
    );
    queueIds.set(spec.name, id);
    sql.queueSkill.run(id, skillIds.get(spec.skill), spec.minProficiency);
    let curve = curves.get(spec.timeZone);
    if (!curve) {
      curve = new ArrivalCurve(start, hours, spec.timeZone);
      curves.set(spec.timeZone, curve);
    }
    return {
      id,
      spec,
      agents: agents.filter((agent) => (agent.skills[spec.skill] ?? 0) >= spec.minProficiency),
      codes: codeSet.codes,
      curve,
    };
  });
  summary.queues = queues.length;
  return queues;
}
