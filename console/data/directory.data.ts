/** Reference data every role may read: agents, call queues and wrap-up codes. */
import type { Agent } from '../../server/agents/agents.schemas.js';
import type { CallQueue, WrapUpCode } from '../../contracts/call-queue.js';
import { request } from './api.js';

interface List<T> {
  items: T[];
}

export async function listAgents(signal?: AbortSignal): Promise<Agent[]> {
  return (await request<List<Agent>>('GET', '/api/agents', { signal })).items;
}

export async function listQueues(signal?: AbortSignal): Promise<CallQueue[]> {
  return (await request<List<CallQueue>>('GET', '/api/queues', { signal })).items;
}

export async function listWrapUpCodes(signal?: AbortSignal): Promise<WrapUpCode[]> {
  return (await request<List<WrapUpCode>>('GET', '/api/wrap-up-codes', { signal })).items;
}
