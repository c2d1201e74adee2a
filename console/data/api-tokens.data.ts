/** API tokens for server-to-server clients (admin): list, create (the secret comes back once), revoke. */
import type {
  ApiToken,
  CreateApiTokenBody,
  CreatedApiToken,
} from '../../server/api-tokens/api-tokens.schemas.js';
import { request } from './api.js';

export type { ApiToken, CreatedApiToken };

export async function listApiTokens(signal?: AbortSignal): Promise<ApiToken[]> {
  return (await request<{ items: ApiToken[] }>('GET', '/api/api-tokens', { signal })).items;
}

export function createApiToken(body: CreateApiTokenBody): Promise<CreatedApiToken> {
  return request<CreatedApiToken>('POST', '/api/api-tokens', { body });
}

export function revokeApiToken(id: number): Promise<void> {
  return request<void>('DELETE', `/api/api-tokens/${id}`);
}
