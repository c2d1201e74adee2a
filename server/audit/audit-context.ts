import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The API token a request authenticated with, for the audit log. Services record audit rows with
 * the acting agent only; this request-scoped store lets every row a token's request causes name the
 * token too, without threading it through each service. The auth plugin enters it per request.
 */
export const auditCredential = new AsyncLocalStorage<{ apiTokenId: number }>();
