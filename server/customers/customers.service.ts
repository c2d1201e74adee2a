import type { CountryCode } from 'libphonenumber-js';
import type { AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import type { InteractionsService } from '../interactions/index.js';
import type { InteractionSummary } from '../interactions/interactions.schemas.js';
import type { CustomerPatch, CustomersRepository, SearchPlan } from './customers.repository.js';
import type {
  AddNoteBody,
  AddPhoneBody,
  CreateCustomerBody,
  Customer360,
  CustomerProfile,
  CustomerSearchQuery,
  CustomerSummary,
  FollowUp,
  UpdateCustomerBody,
} from './customers.schemas.js';
import { normalizePhone } from './phone.js';

export interface CustomersServiceDeps {
  customers: CustomersRepository;
  interactions: InteractionsService;
  audit: AuditLog;
  clock: Clock;
  /** Region for numbers written without a country code. */
  defaultPhoneRegion: CountryCode;
}

/** What the agent sees the instant a call is offered: who is calling and what happened lately. */
export interface ScreenPop {
  callerNumber: string | null;
  customer: CustomerProfile | null;
  recentInteractions: InteractionSummary[];
  openFollowUps: FollowUp[];
}

const NOTES_SHOWN = 50;
const SCREEN_POP_INTERACTIONS = 5;
const MIN_FRAGMENT_DIGITS = 3;
const TRIGRAM = 3;

const ERASED_PROFILE_NOTICE = 'This customer’s personal data was erased on request.';

export function createCustomersService(deps: CustomersServiceDeps) {
  const { customers, audit, clock, defaultPhoneRegion } = deps;

  function plan(q: string): SearchPlan {
    const text = q.trim();
    if (text.includes('@')) return { kind: 'email', email: text };
    const e164 = normalizePhone(text, defaultPhoneRegion);
    if (e164) return { kind: 'phone', e164 };
    // A query of digits and phone punctuation is a fragment of a number: "555-01", "(415) 55".
    if (/^[\d\s()+.\-/]+$/.test(text)) {
      const digits = text.replace(/\D/g, '');
      if (digits.length < MIN_FRAGMENT_DIGITS) {
        throw badRequest(`Type at least ${MIN_FRAGMENT_DIGITS} digits to search by phone number`);
      }
      return { kind: 'digits', digits };
    }
    const tokens = text.split(/\s+/).filter(Boolean);
    return {
      kind: 'text',
      longTokens: tokens.filter((token) => [...token].length >= TRIGRAM),
      shortTokens: tokens.filter((token) => [...token].length < TRIGRAM),
    };
  }

  function phoneOrThrow(number: string): string {
    const e164 = normalizePhone(number, defaultPhoneRegion);
    if (!e164) throw badRequest(`"${number}" is not a valid phone number`);
    return e164;
  }

  function assertPhoneFree(e164: string, forCustomerId?: number) {
    const owner = customers.findIdByPhone(e164);
    if (owner !== null && owner !== forCustomerId) {
      throw conflict(`Phone number ${e164} already belongs to customer ${owner}`);
    }
    if (owner !== null) throw conflict(`Phone number ${e164} is already on this customer`);
  }

  function existing(id: number): CustomerProfile {
    const profile = customers.getProfile(id);
    if (!profile) throw notFound('Customer', id);
    return profile;
  }

  function view(id: number): Customer360 {
    const profile = existing(id);
    if (profile.erased) {
      return {
        customer: { ...profile, company: null, tags: [], attributes: { notice: ERASED_PROFILE_NOTICE } },
        phones: [],
        emails: [],
        openFollowUps: [],
        notes: [],
        stats: customers.getStats(id),
      };
    }
    return {
      customer: profile,
      phones: customers.getPhones(id),
      emails: customers.getEmails(id),
      openFollowUps: customers.getOpenFollowUps(id),
      notes: customers.getNotes(id, NOTES_SHOWN),
      stats: customers.getStats(id),
    };
  }

  function assertWritable(profile: CustomerProfile) {
    if (profile.erased) throw conflict(`Customer ${profile.id} was erased and cannot be changed`);
  }

  return {
    search(query: CustomerSearchQuery): CustomerSummary[] {
      return customers.search(plan(query.q), query.limit ?? 20, query.offset ?? 0);
    },

    get: view,

    /** The screen-pop lookup by caller number: normalize, indexed lookup, 360 summary. */
    screenPop(callerNumber: string): ScreenPop {
      const e164 = normalizePhone(callerNumber, defaultPhoneRegion);
      const id = e164 ? customers.findIdByPhone(e164) : null;
      const customer = id === null ? null : customers.getProfile(id);
      if (id === null || !customer || customer.erased) {
        return { callerNumber: e164, customer: null, recentInteractions: [], openFollowUps: [] };
      }
      return {
        callerNumber: e164,
        customer,
        recentInteractions: deps.interactions.recentForCustomer(id, SCREEN_POP_INTERACTIONS),
        openFollowUps: customers.getOpenFollowUps(id),
      };
    },

    create(actor: Me, body: CreateCustomerBody, ip: string): Customer360 {
      const phones = (body.phones ?? []).map((phone) => ({
        e164: phoneOrThrow(phone.number),
        label: phone.label ?? 'mobile',
      }));
      if (new Set(phones.map((phone) => phone.e164)).size !== phones.length) {
        throw badRequest('The same phone number is listed twice');
      }
      phones.forEach((phone) => assertPhoneFree(phone.e164));
      const emails = (body.emails ?? []).map((email) => ({
        email: email.email,
        label: email.label ?? 'work',
      }));
      for (const { email } of emails) {
        const owner = customers.findIdByEmail(email);
        if (owner !== null) throw conflict(`Email ${email} already belongs to customer ${owner}`);
      }
      const id = customers.create(
        {
          name: body.name.trim(),
          company: body.company ?? null,
          tier: body.tier ?? 'bronze',
          lifecycleStage: body.lifecycleStage ?? 'new',
          language: body.language ?? 'en-US',
          tags: body.tags ?? [],
          attributes: body.attributes ?? {},
          phones,
          emails,
        },
        clock.now().toISOString(),
      );
      audit.record({
        actorAgentId: actor.id,
        action: 'customer.create',
        entityType: 'customer',
        entityId: id,
        ip,
      });
      return view(id);
    },

    update(actor: Me, id: number, body: UpdateCustomerBody, ip: string): Customer360 {
      assertWritable(existing(id));
      const patch: CustomerPatch = { ...body, ...(body.name !== undefined && { name: body.name.trim() }) };
      customers.update(id, patch, clock.now().toISOString());
      // Field names only: the values are customer data and the audit log outlives an erasure.
      audit.record({
        actorAgentId: actor.id,
        action: 'customer.update',
        entityType: 'customer',
        entityId: id,
        ip,
        details: { fields: Object.keys(body) },
      });
      return view(id);
    },

    addPhone(actor: Me, id: number, body: AddPhoneBody, ip: string): Customer360 {
      assertWritable(existing(id));
      const e164 = phoneOrThrow(body.number);
      assertPhoneFree(e164, id);
      customers.addPhone(id, e164, body.label ?? 'mobile', clock.now().toISOString());
      audit.record({
        actorAgentId: actor.id,
        action: 'customer.add_phone',
        entityType: 'customer',
        entityId: id,
        ip,
      });
      return view(id);
    },

    addNote(actor: Me, id: number, body: AddNoteBody, ip: string): Customer360 {
      assertWritable(existing(id));
      customers.addNote(id, actor.id, body.body.trim(), clock.now().toISOString());
      audit.record({
        actorAgentId: actor.id,
        action: 'customer.add_note',
        entityType: 'customer',
        entityId: id,
        ip,
      });
      return view(id);
    },

    reindexAll: () => customers.reindexAll(),
  };
}

export type CustomersService = ReturnType<typeof createCustomersService>;
