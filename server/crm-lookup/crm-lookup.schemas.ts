import { Type, type Static } from 'typebox';
import { Nullable } from '../http/common.schemas.js';

/** What the console needs to link a Customer to the external CRM. */
export const CrmSettings = Type.Object({
  /** CRM_LINK_TEMPLATE, or null when none is configured (no "open in CRM" link). */
  linkTemplate: Nullable(Type.String()),
  /** Whether screen pops are enriched by an external lookup (CRM_LOOKUP_URL). */
  lookup: Type.Boolean(),
});
export type CrmSettings = Static<typeof CrmSettings>;
