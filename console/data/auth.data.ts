import type { LoginBody, SignedIn } from '../../server/auth/auth.schemas.js';
import { ApiError, request } from './api.js';

/** Signs in and starts a cookie session. Rejects with ApiError 401 (wrong credentials) or 429 (rate limited). */
export function login(body: LoginBody): Promise<SignedIn> {
  return request<SignedIn>('POST', '/api/auth/login', { body, anonymous: true });
}

export async function logout(): Promise<void> {
  try {
    await request<void>('POST', '/api/auth/logout', { anonymous: true });
  } catch (error) {
    // Already signed out (expired, or from another tab) is what the user asked for.
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
}

/** The signed-in agent, or null when there is no live session. */
export async function currentSession(): Promise<SignedIn | null> {
  try {
    return await request<SignedIn>('GET', '/api/auth/me', { anonymous: true });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}
