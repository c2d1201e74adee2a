import type { FastifyBaseLogger } from 'fastify';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { auditTrail, type AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { TelephonyCommandError, type RecordingMedia } from '../telephony/index.js';
import type { ErasureBody, ErasureResult } from './customer-data.schemas.js';
import type { Identifies, ErasureRepository } from './erasure.repository.js';

export interface ErasureServiceDeps {
  erasure: ErasureRepository;
  /** Null when no provider keeps recordings: their deletions wait until one is configured. */
  media: RecordingMedia | null;
  /** Queues one recording's deletion; its job id makes a repeated request add it once. */
  queueDeletion(recordingRef: string, attempt: number): Promise<void>;
  audit: AuditLog;
  clock: Clock;
  log: FastifyBaseLogger;
}

/** Names compared as people type them: case, width and surrounding spaces do not matter. */
const comparable = (text: string) => text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();

/** A test for text naming the person: their name, an address, or a number of theirs written any way. */
function identifierTest(identity: { name: string; phones: string[]; emails: string[] }): Identifies {
  const name = comparable(identity.name);
  const emails = identity.emails.map(comparable);
  // The national number catches "(415) 555-0123" as well as "+14155550123".
  const digits = identity.phones.map(
    (e164) => parsePhoneNumberFromString(e164)?.nationalNumber ?? e164.replace(/\D/g, ''),
  );
  return (text) => {
    const plain = comparable(text);
    const textDigits = text.replace(/\D/g, '');
    return (
      (name.length > 0 && plain.includes(name)) ||
      emails.some((email) => plain.includes(email)) ||
      digits.some((number) => number.length > 0 && textDigits.includes(number))
    );
  };
}

/**
 * The right to erasure: an admin erases one customer for a reason, typing their name to confirm. The
 * profile is anonymised and every personal field goes in one transaction; the interactions stay as
 * anonymous rows, so reports do not move; recordings are deleted at the provider by a job that
 * retries until the provider confirms.
 */
export function createErasureService(deps: ErasureServiceDeps) {
  const { erasure, clock, log } = deps;
  const audited = auditTrail(deps.audit, 'customer');

  async function queue(ref: string, attempt: number) {
    try {
      await deps.queueDeletion(ref, attempt);
    } catch (error) {
      // Already in recording_deletions: the hourly sweep queues it again.
      log.warn({ err: error }, 'could not queue a recording deletion; the sweep will');
    }
  }

  return {
    async erase(actor: Me, customerId: number, body: ErasureBody, ip: string): Promise<ErasureResult> {
      const identity = erasure.identity(customerId);
      if (!identity) throw notFound('Customer', customerId);
      if (identity.erased) throw conflict(`Customer ${customerId} was already erased`);
      if (comparable(body.confirmation) !== comparable(identity.name)) {
        throw badRequest('The confirmation must be the customer’s name as shown');
      }
      const identifies = identifierTest(identity);
      if (identifies(body.reason)) {
        throw badRequest(
          'The reason is kept in the audit log: leave out the customer’s name, numbers and addresses',
        );
      }
      const erasedAt = clock.now().toISOString();
      const erased = erasure.erase(customerId, identifies, erasedAt);
      if (!erased) throw conflict(`Customer ${customerId} was already erased`);
      // Counts and the reason only: the audit log outlives the erasure.
      audited(actor, 'customer.erase', customerId, ip, { reason: body.reason.trim(), ...erased.counts });
      for (const ref of erased.refs) await queue(ref, 0);
      return { customerId, erasedAt, ...erased.counts };
    },

    /** Deletes one recording at the provider; throws (and BullMQ retries) until it is gone. */
    async deleteRecording(ref: string): Promise<void> {
      if (!deps.media) {
        erasure.recordingDeleteFailed(ref, 'no_provider');
        throw new Error('No provider configured to delete recordings at');
      }
      try {
        await deps.media.delete(ref);
      } catch (error) {
        erasure.recordingDeleteFailed(ref, error instanceof TelephonyCommandError ? error.failure : 'error');
        throw error;
      }
      erasure.recordingDeleted(ref, clock.now().toISOString());
    },

    /** Queues every deletion not done yet; returns how many. */
    async sweepRecordingDeletions(): Promise<number> {
      const pending = erasure.pendingDeletions();
      for (const { ref, attempts } of pending) await queue(ref, attempts);
      return pending.length;
    },
  };
}

export type ErasureService = ReturnType<typeof createErasureService>;
