import type { Db } from '../../db/connection.js';
import type { DataPackage, PackageInteraction } from './customer-data.schemas.js';

type Section<K extends keyof DataPackage> = DataPackage[K];

interface InteractionRow extends Omit<PackageInteraction, 'ivrAnswers' | 'events'> {
  ivrAnswers: string;
  recordingRef: string | null;
}

/** Reads for a subject-access data package: every row about one customer, oldest first. */
export function createDataPackageRepository(db: Db) {
  const statements = {
    phones: db.prepare<[number], Section<'phones'>[number]>(
      'SELECT e164, label, created_at AS createdAt FROM customer_phones WHERE customer_id = ? ORDER BY id',
    ),
    emails: db.prepare<[number], Section<'emails'>[number]>(
      'SELECT email, label, created_at AS createdAt FROM customer_emails WHERE customer_id = ? ORDER BY id',
    ),
    notes: db.prepare<[number], Section<'notes'>[number]>(
      `SELECT n.body, a.display_name AS authorName, n.created_at AS createdAt
       FROM customer_notes n LEFT JOIN agents a ON a.id = n.author_agent_id
       WHERE n.customer_id = ? ORDER BY n.created_at, n.id`,
    ),
    interactions: db.prepare<[number], InteractionRow>(
      `SELECT i.id, i.direction, i.provider, i.caller_number AS callerNumber, q.name AS queueName,
              a.display_name AS agentName, i.state, i.outcome, i.arrived_at AS arrivedAt,
              i.answered_at AS answeredAt, i.ended_at AS endedAt, w.code AS wrapUpCode, i.notes,
              i.ivr_answers AS ivrAnswers, i.recording_ref AS recordingRef
       FROM interactions i
       LEFT JOIN call_queues q ON q.id = i.queue_id
       LEFT JOIN agents a ON a.id = i.agent_id
       LEFT JOIN wrap_up_codes w ON w.id = i.wrap_up_code_id
       WHERE i.customer_id = ? ORDER BY i.arrived_at, i.id`,
    ),
    events: db.prepare<
      [number],
      { interactionId: number; at: string; type: string; agentName: string | null; data: string }
    >(
      `SELECT e.interaction_id AS interactionId, e.at, e.type, a.display_name AS agentName, e.data
       FROM interaction_events e JOIN interactions i ON i.id = e.interaction_id
       LEFT JOIN agents a ON a.id = e.agent_id
       WHERE i.customer_id = ? ORDER BY e.interaction_id, e.id`,
    ),
    followUps: db.prepare<[number], Section<'followUps'>[number]>(
      `SELECT id, kind, status, title, note, due_at AS dueAt, created_at AS createdAt, completed_at AS completedAt
       FROM follow_ups WHERE customer_id = ? ORDER BY created_at, id`,
    ),
    valueEvents: db.prepare<[number], Section<'valueEvents'>[number]>(
      `SELECT reference, amount, currency, occurred_at AS occurredAt
       FROM customer_value_events WHERE customer_id = ? ORDER BY occurred_at, id`,
    ),
    surveys: db.prepare<[number], Omit<Section<'surveys'>[number], 'resolved'> & { resolved: number | null }>(
      `SELECT interaction_id AS interactionId, status, score, resolved, ended_at AS endedAt
       FROM interaction_surveys WHERE customer_id = ? ORDER BY created_at, interaction_id`,
    ),
    lifecycle: db.prepare<[number], Section<'lifecycleHistory'>[number]>(
      `SELECT from_stage AS "from", to_stage AS "to", source, at
       FROM customer_lifecycle_changes WHERE customer_id = ? ORDER BY at, id`,
    ),
  };

  return {
    /** Everything but the profile, which the customers domain gives. */
    read(customerId: number): Omit<DataPackage, 'generatedAt' | 'customer'> {
      const events = new Map<number, PackageInteraction['events']>();
      for (const { interactionId, data, ...event } of statements.events.all(customerId)) {
        const list = events.get(interactionId) ?? [];
        list.push({ ...event, data: JSON.parse(data) as unknown });
        events.set(interactionId, list);
      }
      const rows = statements.interactions.all(customerId);
      return {
        phones: statements.phones.all(customerId),
        emails: statements.emails.all(customerId),
        notes: statements.notes.all(customerId),
        interactions: rows.map(({ recordingRef: _ref, ivrAnswers, ...row }) => ({
          ...row,
          ivrAnswers: JSON.parse(ivrAnswers) as unknown,
          events: events.get(row.id) ?? [],
        })),
        followUps: statements.followUps.all(customerId),
        valueEvents: statements.valueEvents.all(customerId),
        surveys: statements.surveys.all(customerId).map((survey) => ({
          ...survey,
          resolved: survey.resolved === null ? null : survey.resolved === 1,
        })),
        lifecycleHistory: statements.lifecycle.all(customerId),
        recordings: rows
          .filter((row) => row.recordingRef !== null)
          .map((row) => {
            const kind = row.outcome === 'voicemail' ? 'voicemail' : 'recording';
            return {
              interactionId: row.id,
              kind,
              arrivedAt: row.arrivedAt,
              url: `/api/interactions/${row.id}/${kind}`,
            };
          }),
      };
    },
  };
}
