// The external CRM: the screen-pop lookup (timeout, cache, circuit breaker, metrics) and the console's link settings.
export { crmLookupPlugin } from './crm-lookup.plugin.js';
export { createCrmLookup, type CrmLookup, type CrmLookupDeps } from './crm-lookup.service.js';
export { askCrm, type CrmAnswer } from './crm-lookup.client.js';
export type { CrmSettings } from './crm-lookup.schemas.js';
