import type { CountryCode } from 'libphonenumber-js';
import { auditTrail, type AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import type { ScreenPop } from '../../contracts/customer.js';
import { badRequest, conflict, forbidden, invalidPhone, notFound } from '../http/errors.js';
import type { InteractionsService } from '../interactions/index.js';
import type { DomainEvents } from '../webhooks/index.js';
import type { SegmentMembers } from '../segments/index.js';
// The builders' own module, not follow-ups/index.ts: that one brings the follow-ups plugin, which needs agents
// and so customers (an import cycle). The module is a leaf: two pure functions.
import { followUpCreated, followUpDone } from '../follow-ups/follow-up-webhook-events.js';
import type {
  CustomerPatch,
  CustomersRepository,
  NewCustomerFollowUp,
  SearchPlan,
} from './customers.repository.js';
import { CONTROL_CHARACTER } from './customers.schemas.js';
import type {
  AddNoteBody,
  AddPhoneBody,
  CreateCustomerBody,
  Customer360,
  CustomerProfile,
  CustomerSearchQuery,
  CustomerSummary,
  Tier,
  UpdateCustomerBody,
} from './customers.schemas.js';
import { normalizePhone } from './phone.js';
import { createWrapUpActions, type CallbackRequest, type StageSetByHand } from './wrap-up-actions.js';

export type { StageSetByHand } from './wrap-up-actions.js';

export interface CustomersServiceDeps {
  customers: CustomersRepository;
  interactions: InteractionsService;
  audit: AuditLog;
  clock: Clock;
  /** Region for numbers written without a country code. */
  defaultPhoneRegion: CountryCode;
  /** The customer list by segment (`?segment=`). */
  segments: SegmentMembers;
  /**
   * Where `customer.created` and `customer.updated` are published, in the transaction of the change.
   * Default: nowhere (a script that builds the service alone).
   */
  events?: DomainEvents;
}

export type { ScreenPop } from '../../contracts/customer.js';

const NOTES_SHOWN = 50;
const SCREEN_POP_INTERACTIONS = 5;
const MIN_FRAGMENT_DIGITS = 3;
const TRIGRAM = 3;

const NEW_CUSTOMER_TIER: Tier = 'bronze';

const ERASED_PROFILE_NOTICE = 'This customer’s personal data was erased on request.';

export function createCustomersService(deps: CustomersServiceDeps) {
  const { customers, audit, clock, defaultPhoneRegion } = deps;
  const audited = auditTrail(audit, 'customer');
  /** Writes a change and its `customer.updated` (field names only) in one transaction. */
  const changed = (customerId: number, fields: string[], write: () => void) => {
    customers.inTransaction(() => {
      write();
      deps.events?.publish({ type: 'customer.updated', data: { customerId, fields } });
    });
    popChanged(customerId);
  };
  const popListeners = new Set<(customerId: number | null) => void>();
  const popChanged = (customerId: number | null) => popListeners.forEach((listener) => listener(customerId));
  const stageListeners = new Set<(change: StageSetByHand) => void>();
  const stageSetByHand = (change: StageSetByHand) => {
    if (change.from !== change.to) stageListeners.forEach((listener) => listener(change));
  };

  function plan(q: string): SearchPlan {
    if (CONTROL_CHARACTER.test(q)) throw badRequest('The search may not contain a control character');
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
    if (!e164) throw invalidPhone(number);
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
        customer: {
          ...profile,
          company: null,
          tags: [],
          attributes: { notice: ERASED_PROFILE_NOTICE },
          churn: null,
        },
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

  /** The screen pop of a caller already identified (by number or in the IVR). */
  /** `currentInteractionId` is left out of the recent contacts: the pop is about the call it belongs to. */
  function popFor(
    customerId: number | null,
    callerNumber: string | null,
    currentInteractionId?: number,
  ): ScreenPop {
    const customer = customerId === null ? null : customers.getProfile(customerId);
    if (customerId === null || !customer || customer.erased) {
      return { callerNumber, customer: null, recentInteractions: [], openFollowUps: [], lastSurvey: null };
    }
    return {
      callerNumber,
      customer,
      recentInteractions: deps.interactions
        .recentForCustomer(customerId, SCREEN_POP_INTERACTIONS + 1)
        .filter((interaction) => interaction.id !== currentInteractionId)
        .slice(0, SCREEN_POP_INTERACTIONS),
      openFollowUps: customers.getOpenFollowUps(customerId),
      lastSurvey: customers.lastSurvey(customerId),
    };
  }

  /**
   * A callback follow-up and its `followup.created`, in one transaction. Once per `sourceKey`: a
   * retried wrap-up or a repeated provider webhook gets the existing follow-up's id and no second event.
   */
  function scheduleCallback(followUp: CallbackRequest): { id: number; created: boolean } {
    const row: NewCustomerFollowUp = {
      ...followUp,
      kind: 'callback',
      // A callback nobody owns (asked for in the IVR) belongs to the team of the queue that dials it.
      ownerQueueId: followUp.ownerAgentId === null ? followUp.queueId : null,
      source: followUp.interactionId === null ? 'manual' : 'wrap_up',
    };
    const result = customers.inTransaction(() => {
      const written = customers.createFollowUp(row, clock.now().toISOString());
      if (written.created) deps.events?.publish(followUpCreated(written.id, { ...row, priority: 'normal' }));
      return written;
    });
    popChanged(followUp.customerId);
    return result;
  }

  function assertWritable(profile: CustomerProfile) {
    if (profile.erased) throw conflict(`Customer ${profile.id} was erased and cannot be changed`);
    const survivor = customers.mergedInto(profile.id);
    if (survivor !== null) throw conflict(`Customer ${profile.id} was merged into customer ${survivor}`);
  }

  /**
   * The tier is computed from the customer's value (server/customer-value) and sets how fast they
   * are served, so nobody types it: agents may not change it at all, supervisors and admins only
   * through an override with a reason and an expiry, which is audited.
   */
  function assertTierUnchanged(actor: Me, requested: Tier | undefined, current: Tier) {
    if (requested === undefined || requested === current) return;
    if (actor.role === 'agent') throw forbidden('Agents cannot change a customer’s tier');
    throw badRequest(
      'tier is computed from the customer’s value: set an override with a reason and an expiry (PUT /api/customers/{id}/tier-override)',
    );
  }

  return {
    /** A search by `q`, or a page of a segment's customers by id with their total. */
    search(query: CustomerSearchQuery): { items: CustomerSummary[]; total?: number } {
      const limit = query.limit ?? 20;
      const offset = query.offset ?? 0;
      if (query.segment !== undefined) {
        if (query.q !== undefined) throw badRequest('Give either q (a search) or segment, not both');
        const { ids, total } = deps.segments.customerPage(query.segment, limit, offset);
        return { items: customers.summariesOf(ids), total };
      }
      if (query.q === undefined) throw badRequest('Give q (a search) or segment (a segment id)');
      return { items: customers.search(plan(query.q), limit, offset) };
    },

    get: view,
    /** How `q` is searched (the same as the list's), for the export to run over every match. */
    searchPlan: plan,
    /** Where a merged customer went (their old links redirect there); null for any other customer. */
    mergedInto: (id: number) => customers.mergedInto(id),

    /** The screen-pop lookup by caller number: normalize, indexed lookup, 360 summary. */
    screenPop(callerNumber: string): ScreenPop {
      const e164 = normalizePhone(callerNumber, defaultPhoneRegion);
      return popFor(e164 ? customers.findIdByPhone(e164) : null, e164);
    },

    popFor,
    scheduleCallback,
    /** Whether the follow-up is one of the customer's open ones. */
    hasOpenFollowUp: (customerId: number, followUpId: number) =>
      customers.getOpenFollowUps(customerId).some((followUp) => followUp.id === followUpId),
    /** Someone cancelled the callback's follow-up: it is not dialled any more. */
    followUpCancelled: (followUpId: number) => customers.followUpStatus(followUpId) === 'cancelled',
    /** A callback reached the customer through `agentId`: its follow-up is done, with its `followup.done`. */
    completeFollowUp(followUpId: number, agentId: number): boolean {
      const done = customers.inTransaction(() => {
        const done = customers.completeFollowUp(followUpId, clock.now().toISOString());
        if (done) deps.events?.publish(followUpDone({ id: followUpId, ...done }, agentId));
        return done !== null;
      });
      popChanged(null);
      return done;
    },
    /** Whether we may call the customer: not erased and not flagged do-not-call. Null for an unknown one. */
    mayCall(customerId: number): boolean | null {
      const profile = customers.getProfile(customerId);
      return profile ? !profile.erased && !profile.doNotCall : null;
    },
    /** The customer's value tier, which sets how fast they are served; null for an unknown or erased one. */
    tierOf(customerId: number) {
      const profile = customers.getProfile(customerId);
      return profile && !profile.erased ? profile.tier : null;
    },
    /** A number in any written form as E.164, or null when it is not a valid number. */
    normalize: (number: string) => normalizePhone(number, defaultPhoneRegion),

    /** Who the caller is, from their number (caller ID). */
    identifyByNumber(number: string): number | null {
      const e164 = normalizePhone(number, defaultPhoneRegion);
      return e164 ? customers.findIdByPhone(e164) : null;
    },

    /** Who the caller is, from digits keyed in the IVR: an account number (AC-000123 → 123) or a phone number. */
    identifyByDigits(digits: string): number | null {
      const byAccount = customers.findIdByAccountNumber(`AC-${digits.replace(/^0+/, '').padStart(6, '0')}`);
      if (byAccount !== null) return byAccount;
      const e164 = normalizePhone(digits, defaultPhoneRegion);
      return e164 ? customers.findIdByPhone(e164) : null;
    },

    create(actor: Me, body: CreateCustomerBody, ip: string): Customer360 {
      // A new customer has no value yet: the lowest tier, until their value says otherwise.
      assertTierUnchanged(actor, body.tier, NEW_CUSTOMER_TIER);
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
      const lifecycleStage = body.lifecycleStage ?? 'new';
      const id = customers.inTransaction(() => {
        const id = customers.create(
          {
            name: body.name.trim(),
            company: body.company ?? null,
            tier: NEW_CUSTOMER_TIER,
            lifecycleStage,
            language: body.language ?? 'en-US',
            tags: body.tags ?? [],
            attributes: body.attributes ?? {},
            phones,
            emails,
          },
          clock.now().toISOString(),
        );
        deps.events?.publish({
          type: 'customer.created',
          data: { customerId: id, tier: NEW_CUSTOMER_TIER, lifecycleStage },
        });
        return id;
      });
      audited(actor, 'customer.create', id, ip);
      return view(id);
    },

    update(actor: Me, id: number, body: UpdateCustomerBody, ip: string): Customer360 {
      const profile = existing(id);
      assertWritable(profile);
      assertTierUnchanged(actor, body.tier, profile.tier);
      const { tier: _unchanged, ...fields } = body;
      const patch: CustomerPatch = { ...fields, ...(body.name !== undefined && { name: body.name.trim() }) };
      changed(id, Object.keys(fields), () => customers.update(id, patch, clock.now().toISOString()));
      if (body.lifecycleStage !== undefined) {
        stageSetByHand({
          customerId: id,
          from: profile.lifecycleStage,
          to: body.lifecycleStage,
          source: 'manual',
          wrapUpCode: null,
          interactionId: null,
          agentId: actor.id,
        });
      }
      // Field names only: the values are customer data and the audit log outlives an erasure.
      audited(actor, 'customer.update', id, ip, { fields: Object.keys(fields) });
      return view(id);
    },

    addPhone(actor: Me, id: number, body: AddPhoneBody, ip: string): Customer360 {
      assertWritable(existing(id));
      const e164 = phoneOrThrow(body.number);
      assertPhoneFree(e164, id);
      changed(id, ['phones'], () =>
        customers.addPhone(id, e164, body.label ?? 'mobile', clock.now().toISOString()),
      );
      audited(actor, 'customer.add_phone', id, ip);
      return view(id);
    },

    addNote(actor: Me, id: number, body: AddNoteBody, ip: string): Customer360 {
      assertWritable(existing(id));
      customers.addNote(id, actor.id, body.body.trim(), clock.now().toISOString());
      audited(actor, 'customer.add_note', id, ip);
      return view(id);
    },

    applyWrapUpAction: createWrapUpActions({
      customers,
      audit,
      clock,
      scheduleCallback,
      changed,
      stageSetByHand,
    }),

    reindexAll: () => customers.reindexAll(),

    /**
     * Calls `listener` after a lifecycle stage is set by hand (a wrap-up code's action, an edit), so
     * the lifecycle records it on the customer's timeline and holds it against its rules for a while.
     */
    onStageSetByHand: (listener: (change: StageSetByHand) => void) => void stageListeners.add(listener),

    /** Writes the tiers in force that the value model and overrides decided; the one writer of customers.tier. */
    setTiers(tiers: readonly { customerId: number; tier: Tier }[]) {
      customers.setTiers(tiers, clock.now().toISOString());
      popChanged(tiers.length === 1 ? tiers[0]!.customerId : null);
    },

    /** Calls `listener` once what a customer's screen pop shows may have changed (null: any customer's). */
    onScreenPopChanged: (listener: (customerId: number | null) => void) => void popListeners.add(listener),
    /** Other domains that write what the pop shows (follow-ups, surveys) announce it here. */
    screenPopChanged: popChanged,
  };
}

export type CustomersService = ReturnType<typeof createCustomersService>;
