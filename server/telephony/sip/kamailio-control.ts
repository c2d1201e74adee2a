import { request as httpRequest } from 'node:http';
import { sipAuthorization } from './kamailio-config.js';

/** One of Kamailio's dialogs, as `dlg.list` tells it (only the fields we use). */
export interface KamailioDialog {
  callId: string;
  hashEntry: number;
  hashId: number;
  /** 1 unconfirmed, 2 early, 3 answered (no ACK yet), 4 confirmed, 5 deleted. */
  state: number;
  fromTag: string;
  toTag: string;
}

/** Kamailio's dialog states (`dlg.list` "state"): 3 answered by the callee, 4 confirmed by the ACK. */
export const DIALOG_ANSWERED = 3;
const DIALOG_CONFIRMED = 4;
const DIALOG_DELETED = 5;

/** What went wrong talking to Kamailio, so the adapter can name the failure. */
export class KamailioControlError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'refused' | 'not_found',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KamailioControlError';
  }
}

/** How our server continues a queued caller's suspended INVITE. */
export type ContinueInvite =
  | {
      action: 'connect';
      /** SIP user of the Agent's softphone (its registration is looked up). */
      agent: string;
      interactionId: number;
      /** How long the Agent's softphone rings, in ms. */
      ringMs: number;
    }
  | { action: 'reject'; code: number; reason: string };

export interface KamailioControlOptions {
  /** Kamailio's loopback control listener, e.g. http://127.0.0.1:5090. */
  controlUrl: URL;
  sharedSecret: string;
  /** Per-request timeout, ms. Default 3000. */
  timeoutMs?: number;
}

/** The control side of our Kamailio: JSON-RPC (`/RPC`) and continuing suspended INVITEs (`/cti/continue`). */
export function createKamailioControl({
  controlUrl,
  sharedSecret,
  timeoutMs = 3000,
}: KamailioControlOptions) {
  const headers = { authorization: sipAuthorization(sharedSecret), 'content-type': 'application/json' };

  /**
   * One request per connection: Kamailio's xhttp closes each connection after its reply, and a
   * pooled connection reused just as it closes fails a request Kamailio never saw ("other side
   * closed"), which must not be retried blindly for a continue.
   */
  function post(path: string, body: unknown): Promise<{ status: number; text: string }> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        new URL(path, controlUrl),
        {
          method: 'POST',
          agent: false,
          timeout: timeoutMs,
          headers: { ...headers, connection: 'close', 'content-length': Buffer.byteLength(payload) },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      request.on('error', (error) =>
        reject(
          new KamailioControlError('unreachable', `Kamailio did not answer at ${controlUrl.origin}`, {
            cause: error,
          }),
        ),
      );
      request.end(payload);
    });
  }

  let nextId = 1;
  async function rpc<T>(method: string, params: unknown[] = []): Promise<T> {
    const response = await post('/RPC', { jsonrpc: '2.0', method, params, id: nextId++ });
    if (response.status === 403)
      throw new KamailioControlError('refused', 'Kamailio refused our shared secret');
    let answer: { result?: T; error?: { code: number; message: string } };
    try {
      answer = JSON.parse(response.text) as typeof answer;
    } catch {
      throw new KamailioControlError(
        'refused',
        `${method}: Kamailio answered ${response.status} without JSON`,
      );
    }
    if (answer.error) {
      // Kamailio answers "not found" style errors with 404/500 codes and a message; ul.lookup says
      // "AOR has no contacts" for a record whose last contact its connection took away.
      const kind = /not found|no such|no contacts/i.test(answer.error.message) ? 'not_found' : 'refused';
      throw new KamailioControlError(kind, `${method}: ${answer.error.message}`);
    }
    return answer.result as T;
  }

  return {
    rpc,

    async continueInvite(
      transaction: { tindex: number; tlabel: number },
      how: ContinueInvite,
    ): Promise<void> {
      const response = await post('/cti/continue', { ...transaction, ...how });
      if (response.status === 404)
        throw new KamailioControlError('not_found', 'The caller is no longer waiting (the INVITE is gone)');
      if (response.status !== 200)
        throw new KamailioControlError('refused', `Kamailio answered ${response.status} to /cti/continue`);
    },

    /** The live dialogs. Ended ones (state 5) linger in `dlg.list` for a while; they are left out. */
    async listDialogs(): Promise<KamailioDialog[]> {
      const result = await rpc<Record<string, unknown>[] | null>('dlg.list');
      return (result ?? [])
        .map((dialog) => ({
          callId: String(dialog['call-id']),
          hashEntry: Number(dialog.h_entry),
          hashId: Number(dialog.h_id),
          state: Number(dialog.state),
          fromTag: (dialog.caller as { tag?: string } | undefined)?.tag ?? '',
          toTag: (dialog.callee as { tag?: string } | undefined)?.tag ?? '',
        }))
        .filter((dialog) => dialog.state < DIALOG_DELETED);
    },

    /**
     * When each ended dialog still lingering in `dlg.list` ended (its `end_ts`), by Call-ID. Kamailio
     * keeps them `end_timeout` seconds (default 300), so a call that ended during a short outage of
     * ours keeps its true end time.
     */
    async dialogEnds(): Promise<Map<string, Date>> {
      const result = await rpc<Record<string, unknown>[] | null>('dlg.list');
      const ends = new Map<string, Date>();
      for (const dialog of result ?? []) {
        const endSeconds = Number(dialog.end_ts);
        if (Number(dialog.state) === DIALOG_DELETED && endSeconds > 0)
          ends.set(String(dialog['call-id']), new Date(endSeconds * 1000));
      }
      return ends;
    },

    /**
     * Sends BYE to both sides of a dialog. Kamailio ends only dialogs confirmed by the caller's ACK
     * (state 4), and its dialog module misses an ACK that overtakes its own handling of the 200 OK
     * (a caller on a fast link), leaving the dialog answered (3) for good. So a hang-up waits up to a
     * second for the ACK, then marks the answered dialog confirmed itself.
     *
     * Known limit of Kamailio 5.6: `dlg.end_dlg` sends the caller's BYE, then the callee's, and
     * skips the callee's when the caller's 200 was already processed in another process (a peer
     * answering within microseconds, as on loopback). The dialog still ends and `dialog:end` fires.
     */
    async endDialog(callId: string): Promise<void> {
      for (let attempt = 0; ; attempt += 1) {
        const dialog = (await this.listDialogs()).find((candidate) => candidate.callId === callId);
        if (!dialog) throw new KamailioControlError('not_found', `No dialog with Call-ID ${callId}`);
        if (dialog.state === DIALOG_ANSWERED && attempt >= 20) {
          await rpc('dlg.set_state', [dialog.callId, dialog.fromTag, dialog.toTag, DIALOG_CONFIRMED]);
        } else if (dialog.state !== DIALOG_CONFIRMED) {
          if (attempt >= 20)
            throw new KamailioControlError(
              'not_found',
              `Dialog ${callId} is not answered (state ${dialog.state})`,
            );
          await new Promise((resolve) => setTimeout(resolve, 50));
          continue;
        }
        await rpc('dlg.end_dlg', [dialog.hashEntry, dialog.hashId]);
        return;
      }
    },

    /** Whether a softphone is registered for this SIP user now. */
    async isRegistered(user: string): Promise<boolean> {
      try {
        await rpc('ul.lookup', ['location', user]);
        return true;
      } catch (error) {
        if (error instanceof KamailioControlError && error.kind === 'not_found') return false;
        throw error;
      }
    },
  };
}

export type KamailioControl = ReturnType<typeof createKamailioControl>;
