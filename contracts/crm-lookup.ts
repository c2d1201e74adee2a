import { Type, type Static } from 'typebox';

const Text = (maxLength: number) => Type.String({ maxLength });

/**
 * What we POST to the external CRM lookup endpoint when a call is identified or queued. The CRM
 * answers 200 with a {@link CrmLookupResponse}, or 404 when it does not know the caller.
 */
export const CrmLookupRequest = Type.Object({
  /** The Interaction the lookup is for: lets the CRM correlate, never needed to answer. */
  interactionId: Type.Integer(),
  /** The caller's number as E.164 when it is a valid number, else as received; null when withheld. */
  callerNumber: Type.Union([Type.String(), Type.Null()]),
  /** Our Customer id when we identified the caller, else null. */
  customerId: Type.Union([Type.Integer(), Type.Null()]),
});
export type CrmLookupRequest = Static<typeof CrmLookupRequest>;

/**
 * The CRM's answer, validated before it reaches a desk; properties not listed here are ignored.
 * Everything is optional: an empty object is a valid "nothing to add".
 */
export const CrmLookupResponse = Type.Object({
  /** The contact's id in the CRM: fills `{crmId}` in the "open in CRM" link. */
  crmId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  /** The contact's name as the CRM has it. */
  displayName: Type.Optional(Text(200)),
  /** Facts shown on the screen pop in this order (open deals, account owner, last order…). */
  fields: Type.Optional(Type.Array(Type.Object({ label: Text(64), value: Text(512) }), { maxItems: 20 })),
});
export type CrmLookupResponse = Static<typeof CrmLookupResponse>;

/** What the desk shows of a lookup: the CRM's answer, or null when it had none or did not answer in time. */
export type CrmEnrichment = CrmLookupResponse;
