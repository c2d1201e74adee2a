import { Type, type Static } from 'typebox';
import { Nullable } from '../http/common.schemas.js';
import { Role, UiLanguage } from '../auth/auth.schemas.js';

export const AgentSkill = Type.Object(
  {
    skill: Type.String({ minLength: 1, maxLength: 50 }),
    proficiency: Type.Integer({ minimum: 1, maximum: 5 }),
  },
  { additionalProperties: false },
);
export type AgentSkill = Static<typeof AgentSkill>;

const Languages = Type.Array(Type.String({ pattern: '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$', maxLength: 35 }), {
  maxItems: 20,
});
const SipAddress = Nullable(Type.String({ pattern: '^sips?:[^\\s@]+@[^\\s@]+$', maxLength: 200 }));
const AudioTarget = Type.Union([Type.Literal('sip'), Type.Literal('phone')]);

export const Agent = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  skills: Type.Array(AgentSkill),
  languages: Type.Array(Type.String()),
  sipAddress: Nullable(Type.String()),
  phoneNumber: Nullable(
    Type.String({
      description: 'E.164; null to other agents, seen only by the agent, supervisors and admins',
    }),
  ),
  audioTarget: AudioTarget,
  /** Offers are accepted for the Agent at once; their phone rings without a click on the desk. */
  autoAccept: Type.Boolean(),
  uiLanguage: UiLanguage,
  active: Type.Boolean(),
});
export type Agent = Static<typeof Agent>;

export const AgentList = Type.Object({ items: Type.Array(Agent) });

export const CreateAgentBody = Type.Object(
  {
    username: Type.String({ pattern: '^[a-zA-Z0-9_.-]{2,64}$' }),
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    role: Role,
    password: Type.String({ minLength: 8, maxLength: 256 }),
    skills: Type.Optional(Type.Array(AgentSkill, { maxItems: 50 })),
    languages: Type.Optional(Languages),
    sipAddress: Type.Optional(SipAddress),
    phoneNumber: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
    audioTarget: Type.Optional(AudioTarget),
    autoAccept: Type.Optional(Type.Boolean({ default: false })),
    uiLanguage: Type.Optional(UiLanguage),
  },
  { additionalProperties: false },
);
export type CreateAgentBody = Static<typeof CreateAgentBody>;

export const UpdateAgentBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    role: Type.Optional(Role),
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 256 })),
    skills: Type.Optional(Type.Array(AgentSkill, { maxItems: 50 })),
    languages: Type.Optional(Languages),
    sipAddress: Type.Optional(SipAddress),
    phoneNumber: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
    audioTarget: Type.Optional(AudioTarget),
    autoAccept: Type.Optional(Type.Boolean()),
    uiLanguage: Type.Optional(UiLanguage),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateAgentBody = Static<typeof UpdateAgentBody>;
