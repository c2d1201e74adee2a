import type { Db } from '../../db/connection.js';
import type { CallQueue, WrapUpCode } from './call-queues.schemas.js';

interface QueueRow {
  id: number;
  name: string;
  time_zone: string;
  priority: number;
  priority_rules: string;
  strategy: CallQueue['strategy'];
  sl_target_seconds: number;
  sl_target_percent: number;
  max_wait_seconds: number | null;
  max_wait_action: CallQueue['maxWaitAction'];
  overflow_after_seconds: number | null;
  overflow_queue_id: number | null;
  join_empty: 0 | 1;
  leave_when_empty: 0 | 1;
  acw_policy: CallQueue['acwPolicy'];
  acw_seconds: number | null;
  wrap_up_code_set_id: number | null;
  recording_policy: CallQueue['recordingPolicy'];
  survey_enabled: 0 | 1;
  skills: string;
  tier_targets: string;
}

export type QueueFields = Omit<CallQueue, 'id'>;

/** API field → column; `skills` lives in queue_skills, `tierTargets` in call_queue_tier_targets. */
const QUEUE_COLUMNS: Record<Exclude<keyof QueueFields, 'skills' | 'tierTargets'>, string> = {
  name: 'name',
  timeZone: 'time_zone',
  priority: 'priority',
  priorityRules: 'priority_rules',
  strategy: 'strategy',
  slTargetSeconds: 'sl_target_seconds',
  slTargetPercent: 'sl_target_percent',
  maxWaitSeconds: 'max_wait_seconds',
  maxWaitAction: 'max_wait_action',
  overflowAfterSeconds: 'overflow_after_seconds',
  overflowQueueId: 'overflow_queue_id',
  joinEmpty: 'join_empty',
  leaveWhenEmpty: 'leave_when_empty',
  acwPolicy: 'acw_policy',
  acwSeconds: 'acw_seconds',
  wrapUpCodeSetId: 'wrap_up_code_set_id',
  recordingPolicy: 'recording_policy',
  surveyEnabled: 'survey_enabled',
};

const SELECT_QUEUE = `SELECT q.*,
    (SELECT json_group_array(json_object('skill', s.name, 'minProficiency', x.min_proficiency))
       FROM queue_skills x JOIN skills s ON s.id = x.skill_id WHERE x.queue_id = q.id) AS skills,
    (SELECT json_group_object(t.tier,
              json_object('slTargetSeconds', t.sl_target_seconds, 'slTargetPercent', t.sl_target_percent))
       FROM call_queue_tier_targets t WHERE t.queue_id = q.id) AS tier_targets
  FROM call_queues q`;

const toQueue = (row: QueueRow): CallQueue => ({
  id: row.id,
  name: row.name,
  timeZone: row.time_zone,
  priority: row.priority,
  priorityRules: JSON.parse(row.priority_rules) as CallQueue['priorityRules'],
  strategy: row.strategy,
  slTargetSeconds: row.sl_target_seconds,
  slTargetPercent: row.sl_target_percent,
  tierTargets: JSON.parse(row.tier_targets) as CallQueue['tierTargets'],
  maxWaitSeconds: row.max_wait_seconds,
  maxWaitAction: row.max_wait_action,
  overflowAfterSeconds: row.overflow_after_seconds,
  overflowQueueId: row.overflow_queue_id,
  joinEmpty: row.join_empty === 1,
  leaveWhenEmpty: row.leave_when_empty === 1,
  acwPolicy: row.acw_policy,
  acwSeconds: row.acw_seconds,
  wrapUpCodeSetId: row.wrap_up_code_set_id,
  recordingPolicy: row.recording_policy,
  surveyEnabled: row.survey_enabled === 1,
  skills: JSON.parse(row.skills) as CallQueue['skills'],
});

interface WrapUpRow {
  id: number;
  set_id: number;
  set_name: string;
  code: string;
  label: string;
  action: WrapUpCode['action'];
  action_lifecycle_stage: WrapUpCode['actionLifecycleStage'];
  follow_up_kind: NonNullable<WrapUpCode['followUp']>['kind'] | null;
  follow_up_due_hours: number | null;
  follow_up_owner: NonNullable<WrapUpCode['followUp']>['owner'];
  active: number;
}

const SELECT_CODE = `SELECT w.*, s.name AS set_name FROM wrap_up_codes w JOIN wrap_up_code_sets s ON s.id = w.set_id`;

const toCode = (row: WrapUpRow): WrapUpCode => ({
  id: row.id,
  setId: row.set_id,
  setName: row.set_name,
  code: row.code,
  label: row.label,
  action: row.action,
  actionLifecycleStage: row.action_lifecycle_stage,
  followUp:
    row.follow_up_kind === null
      ? null
      : { kind: row.follow_up_kind, dueInHours: row.follow_up_due_hours ?? 0, owner: row.follow_up_owner },
  active: row.active === 1,
});

/** The follow-up columns of a code; null clears them. */
const followUpColumns = (followUp: WrapUpCode['followUp']) => ({
  followUpKind: followUp?.kind ?? null,
  followUpDueHours: followUp?.dueInHours ?? null,
  followUpOwner: followUp?.owner ?? 'agent',
});

export function createCallQueuesRepository(db: Db) {
  const statements = {
    list: db.prepare<[], QueueRow>(`${SELECT_QUEUE} ORDER BY q.id`),
    get: db.prepare<[number], QueueRow>(`${SELECT_QUEUE} WHERE q.id = ?`),
    byName: db.prepare<[string], { id: number }>('SELECT id FROM call_queues WHERE name = ?'),
    upsertSkill: db.prepare<[string], { id: number }>(
      'INSERT INTO skills (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = name RETURNING id',
    ),
    clearSkills: db.prepare('DELETE FROM queue_skills WHERE queue_id = ?'),
    addSkill: db.prepare('INSERT INTO queue_skills (queue_id, skill_id, min_proficiency) VALUES (?, ?, ?)'),
    clearTierTargets: db.prepare('DELETE FROM call_queue_tier_targets WHERE queue_id = ?'),
    addTierTarget: db.prepare(
      'INSERT INTO call_queue_tier_targets (queue_id, tier, sl_target_seconds, sl_target_percent) VALUES (?, ?, ?, ?)',
    ),
    setExists: db.prepare<[number], { id: number }>('SELECT id FROM wrap_up_code_sets WHERE id = ?'),
    listCodes: db.prepare<[], WrapUpRow>(`${SELECT_CODE} ORDER BY s.name, w.code`),
    listCodesOfSet: db.prepare<[number], WrapUpRow>(`${SELECT_CODE} WHERE w.set_id = ? ORDER BY w.code`),
    getCode: db.prepare<[number], WrapUpRow>(`${SELECT_CODE} WHERE w.id = ?`),
    codeBySetAndCode: db.prepare<[number, string], { id: number }>(
      'SELECT id FROM wrap_up_codes WHERE set_id = ? AND code = ?',
    ),
    upsertSet: db.prepare<[string], { id: number }>(
      'INSERT INTO wrap_up_code_sets (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = name RETURNING id',
    ),
    insertCode: db.prepare(
      `INSERT INTO wrap_up_codes (set_id, code, label, action, action_lifecycle_stage, follow_up_kind,
         follow_up_due_hours, follow_up_owner)
       VALUES (@setId, @code, @label, @action, @actionLifecycleStage, @followUpKind, @followUpDueHours, @followUpOwner)`,
    ),
  };

  function setSkills(queueId: number, skills: CallQueue['skills']) {
    statements.clearSkills.run(queueId);
    for (const { skill, minProficiency } of skills) {
      statements.addSkill.run(queueId, statements.upsertSkill.get(skill.toLowerCase())!.id, minProficiency);
    }
  }

  function setTierTargets(queueId: number, targets: CallQueue['tierTargets']) {
    statements.clearTierTargets.run(queueId);
    for (const [tier, target] of Object.entries(targets)) {
      if (target) statements.addTierTarget.run(queueId, tier, target.slTargetSeconds, target.slTargetPercent);
    }
  }

  function write(id: number | null, fields: Partial<QueueFields>, now: string): number {
    const { skills, tierTargets, ...columns } = fields;
    const entries = Object.entries(columns).filter(([, value]) => value !== undefined) as [
      keyof typeof QUEUE_COLUMNS,
      unknown,
    ][];
    const values = entries.map(([key, value]) =>
      key === 'priorityRules'
        ? JSON.stringify(value)
        : typeof value === 'boolean'
          ? Number(value)
          : (value as string | number | null),
    );
    return db.transaction(() => {
      let queueId = id;
      if (queueId === null) {
        const names = entries.map(([key]) => QUEUE_COLUMNS[key]);
        queueId = Number(
          db
            .prepare(
              `INSERT INTO call_queues (${[...names, 'created_at', 'updated_at'].join(', ')})
               VALUES (${[...names, 'c', 'u'].map(() => '?').join(', ')})`,
            )
            .run(...values, now, now).lastInsertRowid,
        );
      } else {
        db.prepare(
          `UPDATE call_queues SET ${[...entries.map(([key]) => `${QUEUE_COLUMNS[key]} = ?`), 'updated_at = ?'].join(', ')}
           WHERE id = ?`,
        ).run(...values, now, queueId);
      }
      if (skills) setSkills(queueId, skills);
      if (tierTargets) setTierTargets(queueId, tierTargets);
      return queueId;
    })();
  }

  return {
    list: () => statements.list.all().map(toQueue),
    get(id: number): CallQueue | null {
      const row = statements.get.get(id);
      return row ? toQueue(row) : null;
    },
    idByName: (name: string) => statements.byName.get(name)?.id ?? null,
    codeSetExists: (id: number) => statements.setExists.get(id) !== undefined,
    create: (fields: Partial<QueueFields> & { name: string }, now: string) => write(null, fields, now),
    update: (id: number, fields: Partial<QueueFields>, now: string) => void write(id, fields, now),

    listCodes: (setId?: number) =>
      (setId === undefined ? statements.listCodes.all() : statements.listCodesOfSet.all(setId)).map(toCode),
    getCode(id: number): WrapUpCode | null {
      const row = statements.getCode.get(id);
      return row ? toCode(row) : null;
    },
    createCode(code: {
      setName: string;
      code: string;
      label: string;
      action: WrapUpCode['action'];
      actionLifecycleStage: WrapUpCode['actionLifecycleStage'];
      followUp?: WrapUpCode['followUp'];
    }): number | 'exists' {
      return db.transaction(() => {
        const setId = statements.upsertSet.get(code.setName)!.id;
        if (statements.codeBySetAndCode.get(setId, code.code)) return 'exists' as const;
        const { followUp, ...fields } = code;
        return Number(
          statements.insertCode.run({ ...fields, ...followUpColumns(followUp ?? null), setId })
            .lastInsertRowid,
        );
      })();
    },
    updateCode(
      id: number,
      fields: Partial<Pick<WrapUpCode, 'label' | 'action' | 'actionLifecycleStage' | 'active' | 'followUp'>>,
    ): void {
      const columns = {
        label: 'label',
        action: 'action',
        actionLifecycleStage: 'action_lifecycle_stage',
        active: 'active',
        followUpKind: 'follow_up_kind',
        followUpDueHours: 'follow_up_due_hours',
        followUpOwner: 'follow_up_owner',
      } as const;
      const { followUp, ...rest } = fields;
      const flat = { ...rest, ...(followUp !== undefined && followUpColumns(followUp)) };
      const entries = Object.entries(flat).filter(([, value]) => value !== undefined) as [
        keyof typeof columns,
        unknown,
      ][];
      db.prepare(
        `UPDATE wrap_up_codes SET ${entries.map(([key]) => `${columns[key]} = ?`).join(', ')} WHERE id = ?`,
      ).run(
        ...entries.map(([key, value]) =>
          key === 'active' ? (value ? 1 : 0) : (value as string | number | null),
        ),
        id,
      );
    },
  };
}

export type CallQueuesRepository = ReturnType<typeof createCallQueuesRepository>;
