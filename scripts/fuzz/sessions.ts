import type { Role } from '../../server/auth/auth.schemas.js';
import { SESSION_COOKIE } from '../../server/plugins/auth.plugin.js';
import { FUZZ_ACCOUNTS, FUZZ_PASSWORD } from './fixtures.js';

export const ROLES = Object.keys(FUZZ_ACCOUNTS) as Role[];

/**
 * A signed-in session per role. Fuzzed requests may end one (sign-out, a disabled or re-passworded
 * account): `refresh()` checks each and signs in again, moving to the role's next spare account
 * when one no longer can.
 */
export function createSessionPool(baseUrl: string, origin: string) {
  const cookies = new Map<Role, string>();
  const accounts = new Map<Role, string[]>(ROLES.map((role) => [role, [...FUZZ_ACCOUNTS[role]]]));

  const signIn = async (username: string): Promise<string | null> => {
    const response = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ username, password: FUZZ_PASSWORD }),
    });
    const cookie = response.headers
      .getSetCookie()
      .find((line) => line.startsWith(`${SESSION_COOKIE}=`))
      ?.split(';')[0];
    return response.ok && cookie ? cookie : null;
  };

  const stillValid = async (cookie: string) =>
    (await fetch(`${baseUrl}/api/auth/me`, { headers: { cookie } })).ok;

  return {
    /** The Cookie header of the role's session, or null when every account of the role is spent. */
    cookie: (role: Role): string | null => cookies.get(role) ?? null,
    async refresh(): Promise<void> {
      for (const role of ROLES) {
        const current = cookies.get(role);
        if (current && (await stillValid(current))) continue;
        cookies.delete(role);
        const spares = accounts.get(role)!;
        while (spares.length) {
          const cookie = await signIn(spares[0]!);
          if (cookie) {
            cookies.set(role, cookie);
            break;
          }
          spares.shift();
        }
      }
    },
  };
}

export type SessionPool = ReturnType<typeof createSessionPool>;
