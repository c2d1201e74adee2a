import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../http/common.schemas.js';
import { CustomerProfile } from '../../contracts/customer.js';

export const CsvResponse = Type.String({ description: 'text/csv; charset=utf-8, with a BOM' });

/** Every customer (neither given), a search (`q`, as the list searches) or a saved segment. */
export const ExportQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'A search, as GET /api/customers?q=' }),
    ),
    segment: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type ExportQuery = Static<typeof ExportQuery>;

export const ErasureBody = Type.Object(
  {
    reason: Type.String({
      minLength: 3,
      maxLength: 500,
      description:
        'Why (e.g. "Erasure request by e-mail, ticket 4711"). Kept in the audit log: it may not contain the customer’s name, numbers or addresses.',
    }),
    confirmation: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'The customer’s name as shown, typed again (case and surrounding spaces ignored)',
    }),
  },
  { additionalProperties: false },
);
export type ErasureBody = Static<typeof ErasureBody>;

export const ErasureResult = Type.Object({
  customerId: Type.Integer(),
  erasedAt: Timestamp,
  phones: Type.Integer({ description: 'Phone numbers removed' }),
  emails: Type.Integer({ description: 'Email addresses removed' }),
  notes: Type.Integer({ description: 'Notes deleted' }),
  interactions: Type.Integer({ description: 'Interactions kept as anonymous rows' }),
  recordings: Type.Integer({ description: 'Recordings queued for deletion at the provider' }),
});
export type ErasureResult = Static<typeof ErasureResult>;

const Json = Type.Unknown({ description: 'JSON as stored' });

export const PackageInteraction = Type.Object({
  id: Type.Integer(),
  direction: Type.String(),
  provider: Type.String(),
  callerNumber: Nullable(Type.String()),
  queueName: Nullable(Type.String()),
  agentName: Nullable(Type.String()),
  state: Type.String(),
  outcome: Nullable(Type.String()),
  arrivedAt: Timestamp,
  answeredAt: Nullable(Timestamp),
  endedAt: Nullable(Timestamp),
  wrapUpCode: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  ivrAnswers: Json,
  events: Type.Array(
    Type.Object({ at: Timestamp, type: Type.String(), agentName: Nullable(Type.String()), data: Json }),
  ),
});

/** A subject-access request's answer: everything we hold about one customer, as JSON. */
export const DataPackage = Type.Object({
  generatedAt: Timestamp,
  customer: CustomerProfile,
  phones: Type.Array(Type.Object({ e164: Type.String(), label: Type.String(), createdAt: Timestamp })),
  emails: Type.Array(Type.Object({ email: Type.String(), label: Type.String(), createdAt: Timestamp })),
  notes: Type.Array(
    Type.Object({ body: Type.String(), authorName: Nullable(Type.String()), createdAt: Timestamp }),
  ),
  interactions: Type.Array(PackageInteraction),
  followUps: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.String(),
      status: Type.String(),
      title: Nullable(Type.String()),
      note: Nullable(Type.String()),
      dueAt: Timestamp,
      createdAt: Timestamp,
      completedAt: Nullable(Timestamp),
    }),
  ),
  valueEvents: Type.Array(
    Type.Object({
      reference: Type.String(),
      amount: Type.Number(),
      currency: Type.String(),
      occurredAt: Timestamp,
    }),
  ),
  surveys: Type.Array(
    Type.Object({
      interactionId: Type.Integer(),
      status: Type.String(),
      score: Nullable(Type.Integer()),
      resolved: Nullable(Type.Boolean()),
      endedAt: Nullable(Timestamp),
    }),
  ),
  lifecycleHistory: Type.Array(
    Type.Object({ from: Type.String(), to: Type.String(), source: Type.String(), at: Timestamp }),
  ),
  recordings: Type.Array(
    Type.Object({
      interactionId: Type.Integer(),
      kind: Type.Union([Type.Literal('recording'), Type.Literal('voicemail')]),
      arrivedAt: Timestamp,
      /** Our playback route: the audio itself stays with the provider. */
      url: Type.String(),
    }),
  ),
});
export type DataPackage = Static<typeof DataPackage>;
export type PackageInteraction = Static<typeof PackageInteraction>;
