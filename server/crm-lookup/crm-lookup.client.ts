import { Value } from 'typebox/value';
import { CrmLookupResponse, type CrmEnrichment, type CrmLookupRequest } from '../../contracts/crm-lookup.js';
import type { CrmLookupConfig } from '../config.js';

/** How one request to the CRM ended; every kind but `ok` and `not_found` counts as a failure. */
export type CrmAnswer =
  | { kind: 'ok'; enrichment: CrmEnrichment }
  | { kind: 'not_found' }
  | { kind: 'timeout' }
  | { kind: 'error'; reason: 'status' | 'network' | 'oversize' | 'invalid' };

export const CRM_ANSWER_KINDS = ['ok', 'not_found', 'timeout', 'error'] as const;

class Oversize extends Error {}

/** Reads at most `maxBytes` of the body; a longer one is cut off (the connection is dropped). */
async function readLimited(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new Oversize();
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  const reader = response.body.getReader();
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Oversize();
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One POST of the lookup contract to the CRM, ended by `timeoutMs` whatever the CRM does. */
export async function askCrm(config: CrmLookupConfig, request: CrmLookupRequest): Promise<CrmAnswer> {
  const signal = AbortSignal.timeout(config.timeoutMs);
  try {
    const response = await fetch(config.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(config.token && { authorization: `Bearer ${config.token}` }),
      },
      body: JSON.stringify(request),
      signal,
      redirect: 'error',
    });
    if (response.status === 404) {
      await response.body?.cancel();
      return { kind: 'not_found' };
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      return { kind: 'error', reason: 'status' };
    }
    const parsed: unknown = JSON.parse(await readLimited(response, config.maxResponseBytes));
    // The contract's fields only: whatever else the CRM sends never reaches a desk.
    const enrichment = Value.Clean(CrmLookupResponse, Value.Clone(parsed));
    if (!Value.Check(CrmLookupResponse, enrichment)) return { kind: 'error', reason: 'invalid' };
    return { kind: 'ok', enrichment };
  } catch (error) {
    if (signal.aborted) return { kind: 'timeout' };
    if (error instanceof Oversize) return { kind: 'error', reason: 'oversize' };
    if (error instanceof SyntaxError) return { kind: 'error', reason: 'invalid' };
    return { kind: 'error', reason: 'network' };
  }
}
