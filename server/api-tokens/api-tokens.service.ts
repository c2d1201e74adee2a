import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuditLog } from '../audit/index.js';
import { ROLES, type Me, type Role } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import { badRequest, notFound } from '../http/errors.js';
import type { ApiTokensRepository } from './api-tokens.repository.js';
import {
  API_TOKEN_PREFIX,
  type ApiToken,
  type CreateApiTokenBody,
  type CreatedApiToken,
} from './api-tokens.schemas.js';
import type { TokenThrottle } from './token-throttle.js';

export interface ApiTokensServiceDeps {
  tokens: ApiTokensRepository;
  audit: AuditLog;
  clock: Clock;
  throttle: TokenThrottle;
}

/** `cti_`, 12 hex digits of public id, `_`, 43 base64url characters of secret (256 bits). */
const TOKEN_FORMAT = /^cti_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
/** last_used_at is written at most this often per token, so a busy client does not write on every request. */
const LAST_USED_EVERY_MS = 60_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest();
const rank = (role: Role) => ROLES.indexOf(role);

/** Why a presented token was refused (audited; the client hears the same 401 for each). */
export type TokenRefusal = 'malformed' | 'unknown' | 'revoked' | 'expired' | 'owner_inactive';

type Accepted = { ok: true; actor: Me; apiToken: { id: number; name: string } };
type TokenCheck = Accepted | { ok: false; reason: TokenRefusal; tokenId: number | null };

export type TokenAuthentication = Accepted | { ok: false; reason: TokenRefusal; retryAfterSeconds: number };

export function createApiTokensService({ tokens, audit, clock, throttle }: ApiTokensServiceDeps) {
  const record = (actor: { id: number }, action: string, token: ApiToken, ip: string) =>
    audit.record({
      actorAgentId: actor.id,
      action,
      entityType: 'api_token',
      entityId: token.id,
      ip,
      details: { name: token.name, role: token.role, prefix: token.prefix },
    });

  function check(presented: string): TokenCheck {
    const match = TOKEN_FORMAT.exec(presented);
    if (!match) return { ok: false, reason: 'malformed', tokenId: null };
    const credential = tokens.credential(match[1]!);
    // A wrong secret is compared like a right one: timing tells nothing about the stored hash.
    const expected = Buffer.from(credential?.secretHash ?? '0'.repeat(64), 'hex');
    if (!credential || !timingSafeEqual(expected, sha256(presented))) {
      return { ok: false, reason: 'unknown', tokenId: credential?.id ?? null };
    }
    const now = clock.now();
    if (credential.revokedAt !== null) return { ok: false, reason: 'revoked', tokenId: credential.id };
    if (credential.expiresAt !== null && Date.parse(credential.expiresAt) <= now.getTime()) {
      return { ok: false, reason: 'expired', tokenId: credential.id };
    }
    // The token acts as its creator: disabled, or no longer holding the token's role, ends it.
    const { active, ...owner } = credential.owner;
    if (!active || rank(owner.role) < rank(credential.role)) {
      return { ok: false, reason: 'owner_inactive', tokenId: credential.id };
    }
    if (
      credential.lastUsedAt === null ||
      now.getTime() - Date.parse(credential.lastUsedAt) >= LAST_USED_EVERY_MS
    ) {
      tokens.touch(credential.id, now.toISOString());
    }
    return {
      ok: true,
      actor: { ...owner, role: credential.role },
      apiToken: { id: credential.id, name: credential.name },
    };
  }

  return {
    /** Creates a token; the answer carries its secret, which is never stored nor shown again. */
    create(actor: Me, body: CreateApiTokenBody, ip: string): CreatedApiToken {
      const name = body.name.trim();
      if (!name) throw badRequest('Give the token a name');
      const now = clock.now();
      const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
      if (expiresAt && expiresAt.getTime() <= now.getTime()) {
        throw badRequest('The expiry must be in the future');
      }
      const publicId = randomBytes(6).toString('hex');
      const secret = `${API_TOKEN_PREFIX}${publicId}_${randomBytes(32).toString('base64url')}`;
      const token = tokens.create({
        publicId,
        name,
        role: body.role,
        secretHash: sha256(secret).toString('hex'),
        createdBy: actor.id,
        createdAt: now.toISOString(),
        expiresAt: expiresAt?.toISOString() ?? null,
      });
      record(actor, 'api_token.create', token, ip);
      return { ...token, token: secret };
    },

    list(): ApiToken[] {
      return tokens.list();
    },

    /** Revokes a token at once: its next request is refused. Revoking it again changes nothing. */
    revoke(actor: Me, id: number, ip: string): void {
      const token = tokens.get(id);
      if (!token) throw notFound('API token', id);
      if (tokens.revoke(id, actor.id, clock.now().toISOString()))
        record(actor, 'api_token.revoke', token, ip);
    },

    /**
     * Who a presented token acts as. A refusal is audited (`api_token.rejected`) unless the client
     * is over its failure limit, which it must then wait out (`retryAfterSeconds` > 0).
     */
    async authenticate(presented: string, ip: string): Promise<TokenAuthentication> {
      const result = check(presented);
      if (result.ok) return result;
      const retryAfterSeconds = await throttle.failed(ip);
      if (retryAfterSeconds === 0) {
        audit.record({
          actorAgentId: null,
          action: 'api_token.rejected',
          entityType: 'api_token',
          entityId: result.tokenId,
          ip,
          details: { reason: result.reason },
          apiTokenId: null,
        });
      }
      return { ok: false, reason: result.reason, retryAfterSeconds };
    },
  };
}

export type ApiTokensService = ReturnType<typeof createApiTokensService>;
