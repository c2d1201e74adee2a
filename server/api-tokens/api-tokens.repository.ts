import type { Db } from '../../db/connection.js';
import type { Me, Role } from '../auth/auth.schemas.js';
import { API_TOKEN_PREFIX, type ApiToken } from './api-tokens.schemas.js';

interface TokenRow {
  id: number;
  public_id: string;
  name: string;
  role: Role;
  created_by: number;
  created_by_name: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

/** A presented token's row with its creator, for authentication. */
export interface TokenCredential {
  id: number;
  name: string;
  role: Role;
  secretHash: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  owner: Me & { active: boolean };
}

interface CredentialRow {
  id: number;
  name: string;
  role: Role;
  secret_hash: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  owner_id: number;
  owner_username: string;
  owner_display_name: string;
  owner_role: Role;
  owner_ui_language: Me['uiLanguage'];
  owner_active: number;
}

const toApiToken = (row: TokenRow): ApiToken => ({
  id: row.id,
  name: row.name,
  role: row.role,
  prefix: `${API_TOKEN_PREFIX}${row.public_id}`,
  createdById: row.created_by,
  createdByName: row.created_by_name,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

const SELECT_TOKEN = `SELECT t.id, t.public_id, t.name, t.role, t.created_by, a.display_name AS created_by_name,
         t.created_at, t.last_used_at, t.expires_at, t.revoked_at
  FROM api_tokens t JOIN agents a ON a.id = t.created_by`;

export function createApiTokensRepository(db: Db) {
  const statements = {
    insert: db.prepare<[string, string, Role, string, number, string, string | null]>(
      `INSERT INTO api_tokens (public_id, name, role, secret_hash, created_by, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    byId: db.prepare<[number], TokenRow>(`${SELECT_TOKEN} WHERE t.id = ?`),
    list: db.prepare<[], TokenRow>(
      `${SELECT_TOKEN} ORDER BY t.revoked_at IS NOT NULL, t.created_at DESC, t.id DESC`,
    ),
    credential: db.prepare<[string], CredentialRow>(
      `SELECT t.id, t.name, t.role, t.secret_hash, t.expires_at, t.last_used_at, t.revoked_at,
              a.id AS owner_id, a.username AS owner_username, a.display_name AS owner_display_name,
              a.role AS owner_role, a.ui_language AS owner_ui_language, a.active AS owner_active
       FROM api_tokens t JOIN agents a ON a.id = t.created_by
       WHERE t.public_id = ?`,
    ),
    revoke: db.prepare<[string, number, number]>(
      'UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL',
    ),
    touch: db.prepare<[string, number]>('UPDATE api_tokens SET last_used_at = ? WHERE id = ?'),
  };

  return {
    create(fields: {
      publicId: string;
      name: string;
      role: Role;
      secretHash: string;
      createdBy: number;
      createdAt: string;
      expiresAt: string | null;
    }): ApiToken {
      const { lastInsertRowid } = statements.insert.run(
        fields.publicId,
        fields.name,
        fields.role,
        fields.secretHash,
        fields.createdBy,
        fields.createdAt,
        fields.expiresAt,
      );
      return toApiToken(statements.byId.get(Number(lastInsertRowid))!);
    },
    get(id: number): ApiToken | null {
      const row = statements.byId.get(id);
      return row ? toApiToken(row) : null;
    },
    list(): ApiToken[] {
      return statements.list.all().map(toApiToken);
    },
    /** The token with this public id and its creator, or null. One read of a unique index. */
    credential(publicId: string): TokenCredential | null {
      const row = statements.credential.get(publicId);
      if (!row) return null;
      return {
        id: row.id,
        name: row.name,
        role: row.role,
        secretHash: row.secret_hash,
        expiresAt: row.expires_at,
        lastUsedAt: row.last_used_at,
        revokedAt: row.revoked_at,
        owner: {
          id: row.owner_id,
          username: row.owner_username,
          displayName: row.owner_display_name,
          role: row.owner_role,
          uiLanguage: row.owner_ui_language,
          active: row.owner_active === 1,
        },
      };
    },
    /** Revokes the token; false when it was already revoked. */
    revoke(id: number, by: number, at: string): boolean {
      return statements.revoke.run(at, by, id).changes === 1;
    },
    touch(id: number, at: string): void {
      statements.touch.run(at, id);
    },
  };
}

export type ApiTokensRepository = ReturnType<typeof createApiTokensRepository>;
