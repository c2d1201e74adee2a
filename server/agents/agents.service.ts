import type { CountryCode } from 'libphonenumber-js';
import type { AuditLog } from '../audit/index.js';
import { hashPassword } from '../auth/index.js';
import type { Me, Role } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import { normalizePhone } from '../customers/index.js';
import { badRequest, conflict, invalidPhone, notFound } from '../http/errors.js';
import type { AgentFields, AgentsRepository } from './agents.repository.js';
import type { Agent, CreateAgentBody, UpdateAgentBody } from './agents.schemas.js';

export interface AgentsServiceDeps {
  agents: AgentsRepository;
  audit: AuditLog;
  clock: Clock;
  defaultPhoneRegion: CountryCode;
  /** What ends or narrows an agent's access everywhere once it is taken away (sessions, sockets, routing). */
  access: AgentAccessHooks;
}

export interface AgentAccessHooks {
  /** The agent was disabled or their password changed: every session and open console of theirs ends. */
  revoked(agentId: number): Promise<void>;
  /** The agent's role changed: their open consoles keep only what the new role allows. */
  roleChanged(agentId: number, role: Role): Promise<void>;
  /** The agent's skills changed: their open desks follow into the CallQueues they qualify for now. */
  skillsChanged(agentId: number): Promise<void>;
}

export function createAgentsService({ agents, audit, clock, defaultPhoneRegion, access }: AgentsServiceDeps) {
  function phone(number: string | null | undefined): string | null | undefined {
    if (number === undefined || number === null) return number;
    const e164 = normalizePhone(number, defaultPhoneRegion);
    if (!e164) throw invalidPhone(number);
    return e164;
  }

  function existing(id: number): Agent {
    const agent = agents.get(id);
    if (!agent) throw notFound('Agent', id);
    return agent;
  }

  function assertAudioReachable(agent: { audioTarget: Agent['audioTarget']; phoneNumber: string | null }) {
    if (agent.audioTarget === 'phone' && !agent.phoneNumber) {
      throw badRequest('audioTarget "phone" needs a phoneNumber');
    }
  }

  return {
    list: () => agents.list(),
    get: existing,

    async create(actor: Me, body: CreateAgentBody, ip: string): Promise<Agent> {
      if (agents.idByUsername(body.username) !== null) throw conflict(`Username ${body.username} is taken`);
      const fields = {
        username: body.username,
        displayName: body.displayName.trim(),
        role: body.role,
        passwordHash: await hashPassword(body.password),
        sipAddress: body.sipAddress ?? null,
        phoneNumber: phone(body.phoneNumber) ?? null,
        audioTarget: body.audioTarget ?? 'sip',
        autoAccept: body.autoAccept ?? false,
        uiLanguage: body.uiLanguage ?? 'en',
        active: true,
        skills: body.skills ?? [],
        languages: body.languages ?? [],
      };
      assertAudioReachable(fields);
      const id = agents.create(fields, clock.now().toISOString());
      audit.record({
        actorAgentId: actor.id,
        action: 'agent.create',
        entityType: 'agent',
        entityId: id,
        ip,
        details: { role: body.role },
      });
      return existing(id);
    },

    async update(actor: Me, id: number, body: UpdateAgentBody, ip: string): Promise<Agent> {
      const current = existing(id);
      if (id === actor.id && (body.active === false || (body.role && body.role !== 'admin'))) {
        throw conflict('You cannot disable yourself or take away your own admin role');
      }
      const { skills, languages, password, phoneNumber, ...rest } = body;
      const fields: Partial<AgentFields> = {
        ...rest,
        ...(phoneNumber !== undefined && { phoneNumber: phone(phoneNumber) ?? null }),
        ...(password !== undefined && { passwordHash: await hashPassword(password) }),
      };
      assertAudioReachable({
        audioTarget: fields.audioTarget ?? current.audioTarget,
        phoneNumber: fields.phoneNumber !== undefined ? fields.phoneNumber : current.phoneNumber,
      });
      agents.update(id, fields, { skills, languages }, clock.now().toISOString());
      // Which fields changed, never their values: a password must not reach the audit log.
      audit.record({
        actorAgentId: actor.id,
        action: 'agent.update',
        entityType: 'agent',
        entityId: id,
        ip,
        details: { fields: Object.keys(body) },
      });
      if ((body.active === false && current.active) || password !== undefined) await access.revoked(id);
      else if (body.role !== undefined && body.role !== current.role) await access.roleChanged(id, body.role);
      if (skills !== undefined) await access.skillsChanged(id);
      return existing(id);
    },
  };
}

export type AgentsService = ReturnType<typeof createAgentsService>;
