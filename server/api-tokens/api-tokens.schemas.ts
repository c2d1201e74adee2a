import { Type, type Static } from 'typebox';
import { Role } from '../auth/auth.schemas.js';
import { Id, Nullable, Timestamp } from '../http/common.schemas.js';

/** What every token starts with, so a leaked one is recognisable (secret scanners, log masking). */
export const API_TOKEN_PREFIX = 'cti_';

export const CreateApiTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64, description: 'What the token is for, e.g. "CRM sync"' }),
    role: Role,
    expiresAt: Type.Optional(Nullable(Timestamp)),
  },
  { additionalProperties: false },
);
export type CreateApiTokenBody = Static<typeof CreateApiTokenBody>;

/** A token as admins see it: never its secret nor its hash. */
export const ApiToken = Type.Object({
  id: Id,
  name: Type.String(),
  role: Role,
  /** The token's visible start (`cti_` and its public id), to tell tokens apart. */
  prefix: Type.String(),
  createdById: Id,
  createdByName: Type.String(),
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  expiresAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
});
export type ApiToken = Static<typeof ApiToken>;

export const ApiTokenList = Type.Object({ items: Type.Array(ApiToken) });

/** The answer to creating a token: the only time its secret is shown. */
export const CreatedApiToken = Type.Object({
  ...ApiToken.properties,
  token: Type.String({ description: 'Send as "Authorization: Bearer <token>"; shown once' }),
});
export type CreatedApiToken = Static<typeof CreatedApiToken>;
