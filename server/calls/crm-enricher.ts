import type { CrmEnrichment, CrmLookupRequest } from '../../contracts/crm-lookup.js';
import type { CustomersService } from '../customers/index.js';

/** The port to the external CRM lookup (server/crm-lookup) the call path starts and the desk waits on. */
export interface CrmEnricher {
  /** Starts the lookup of a call's caller without waiting for it. */
  start(request: CrmLookupRequest): void;
  /** The lookup's enrichment, within its timeout; null when there is none. */
  enrichmentFor(request: CrmLookupRequest): Promise<CrmEnrichment | null>;
}

/** What the CRM is asked about a call: its caller's number (E.164 when valid) and our Customer, if known. */
export function crmRequestOf(
  interactionId: number,
  call: { callerNumber: string | null; customerId: number | null },
  customers: Pick<CustomersService, 'normalize'>,
): CrmLookupRequest {
  const callerNumber = call.callerNumber
    ? (customers.normalize(call.callerNumber) ?? call.callerNumber)
    : null;
  return { interactionId, callerNumber, customerId: call.customerId };
}
