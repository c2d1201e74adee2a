import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { FollowUp } from '../../contracts/customer.js';
import {
  FOLLOW_UP_KINDS,
  FOLLOW_UP_STATUSES,
  type FollowUpAction,
  type FollowUpKind,
  type FollowUpStatus,
} from '../../contracts/glossary.js';
import type { Role } from '../../server/auth/auth.schemas.js';
import { toUiMessage } from '../app/errors.js';
import { navigate } from '../app/navigation.js';
import { routeHref } from '../app/routes.js';
import '../components/cti-follow-up-item.js';
import { LatestRequestController } from '../components/latest-request-controller.js';
import { desk } from '../data/desk.data.js';
import {
  followUpCounts,
  listWorklist,
  moveFollowUp,
  type FollowUpCounts,
  type FollowUpPage,
  type FollowUpWork,
  type Worklist,
} from '../data/follow-ups.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import './cti-follow-up-reassign.js';

const PAGE_SIZE = 20;

/** What each status allows; the server's table (server/follow-ups/follow-up.machine.ts) has the last word. */
const ACTIONS: Record<FollowUpStatus, FollowUpAction[]> = {
  open: ['start', 'complete', 'cancel'],
  in_progress: ['complete', 'cancel'],
  done: ['reopen'],
  cancelled: ['reopen'],
};

/** A worklist row in the shape the shared follow-up item shows. */
function asItem(work: FollowUpWork): FollowUp {
  return {
    id: work.id,
    kind: work.kind,
    title: work.title,
    priority: work.priority,
    dueAt: work.dueAt,
    status: work.status,
    note: work.note,
    ownerName: work.owner.type === 'agent' ? work.owner.name : null,
    queueName: work.owner.type === 'queue' ? work.owner.name : null,
    interactionId: work.interactionId,
  };
}

/**
 * Follow-ups as work: my worklist and my teams' (supervisors: every team), filtered by status, kind
 * and overdue, a page at a time; start, complete, cancel and reopen each one, and (supervisors and
 * admins) reassign it. Reloads when the server says one of ours changed.
 */
@customElement('cti-follow-ups-page')
export class CtiFollowUpsPage extends LitElement {
  static override styles = [
    shared,
    css`
      .tabs {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
        margin-bottom: var(--cti-space-3);
      }
      .tabs a {
        padding: var(--cti-space-2) var(--cti-space-3);
        border-radius: var(--cti-radius-md);
        border: 1px solid var(--cti-color-border);
        text-decoration: none;
        font-weight: 600;
      }
      .tabs a[aria-current='page'] {
        background: var(--cti-color-primary);
        color: var(--cti-color-primary-text);
        border-color: var(--cti-color-primary);
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-3);
        align-items: end;
        margin-bottom: var(--cti-space-3);
      }
      .filters label {
        display: grid;
        gap: var(--cti-space-1);
      }
      .filters .check {
        display: flex;
        gap: var(--cti-space-2);
        align-items: center;
        min-height: 2.5rem;
      }
      ul.items {
        display: grid;
        gap: var(--cti-space-3);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      ul.items > li {
        padding: var(--cti-space-3);
        border: 1px solid var(--cti-color-border);
        border-left-width: 6px;
        border-radius: var(--cti-radius-md);
        background: var(--cti-color-surface);
      }
      ul.items > li.overdue {
        border-left-color: var(--cti-color-danger);
      }
      .row-actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
        margin-top: var(--cti-space-2);
      }
      .pager {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-3);
        align-items: center;
        margin-top: var(--cti-space-4);
      }
    `,
  ];

  @property() list: Worklist = 'mine';
  @property({ attribute: false }) viewerRole: Role = 'agent';

  @state() private status: FollowUpStatus | '' = '';
  @state() private kind: FollowUpKind | '' = '';
  @state() private overdue = false;
  @state() private offset = 0;
  @state() private page: FollowUpPage | null = null;
  @state() private counts: FollowUpCounts | null = followUpCounts.counts;
  @state() private problem: UiMessage | null = null;
  @state() private notice: UiMessage | null = null;
  @state() private busyId: number | null = null;

  private readonly i18n = new I18nController(this);
  private readonly latest = new LatestRequestController(this);
  private cleanups: (() => void)[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    this.cleanups = [
      followUpCounts.subscribe((counts) => (this.counts = counts)),
      desk.onFollowUps({ changed: () => void this.load() }),
    ];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const cleanup of this.cleanups) cleanup();
    this.cleanups = [];
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('list')) this.offset = 0;
  }

  override updated(changed: PropertyValues): void {
    if (['list', 'status', 'kind', 'overdue', 'offset'].some((name) => changed.has(name))) void this.load();
  }

  private async load(): Promise<void> {
    const query = {
      ...(this.status && { status: this.status }),
      ...(this.kind && { kind: this.kind }),
      ...(this.overdue && { overdue: true }),
      limit: PAGE_SIZE,
      offset: this.offset,
    };
    const outcome = await this.latest.run((signal) => listWorklist(this.list, query, signal));
    if (!outcome) return;
    if ('value' in outcome) {
      this.page = outcome.value;
      this.problem = null;
    } else {
      this.problem = toUiMessage(outcome.error);
    }
  }

  private async move(work: FollowUpWork, action: FollowUpAction): Promise<void> {
    if (this.busyId !== null) return;
    this.busyId = work.id;
    this.notice = null;
    try {
      await moveFollowUp(work.id, action);
      this.notice = { key: 'followUpsPage.updated' };
      void followUpCounts.refresh();
      await this.load();
    } catch (error) {
      this.problem = toUiMessage(error);
      await this.load();
    } finally {
      this.busyId = null;
    }
  }

  private readonly onReassigned = (): void => {
    this.notice = { key: 'followUpsPage.updated' };
    void followUpCounts.refresh();
    void this.load();
  };

  private tab(list: Worklist, label: string) {
    return html`<a
      href=${routeHref({ name: 'followUps', list })}
      aria-current=${this.list === list ? 'page' : 'false'}
      @click=${(event: Event) => {
        event.preventDefault();
        navigate(routeHref({ name: 'followUps', list }));
      }}
      >${label}</a
    >`;
  }

  private renderCounts() {
    const figures = this.counts?.[this.list];
    if (!figures) return nothing;
    return html`<p class="muted" data-counts>${this.i18n.t('followUpsPage.counts', { ...figures })}</p>`;
  }

  private renderFilters() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<div class="filters">
      <label
        >${t('followUpsPage.status')}
        <select
          name="status"
          @change=${(event: Event) => {
            this.status = (event.target as HTMLSelectElement).value as FollowUpStatus | '';
            this.offset = 0;
          }}
        >
          <option value="" ?selected=${this.status === ''}>${t('followUpsPage.toDo')}</option>
          ${FOLLOW_UP_STATUSES.map(
            (status) =>
              html`<option value=${status} ?selected=${this.status === status}>
                ${t(`followUps.status.${status}`)}
              </option>`,
          )}
        </select>
      </label>
      <label
        >${t('followUpsPage.kind')}
        <select
          name="kind"
          @change=${(event: Event) => {
            this.kind = (event.target as HTMLSelectElement).value as FollowUpKind | '';
            this.offset = 0;
          }}
        >
          <option value="" ?selected=${this.kind === ''}>${t('followUpsPage.anyKind')}</option>
          ${FOLLOW_UP_KINDS.map(
            (kind) =>
              html`<option value=${kind} ?selected=${this.kind === kind}>
                ${t(`followUps.kind.${kind}`)}
              </option>`,
          )}
        </select>
      </label>
      <label class="check">
        <input
          type="checkbox"
          name="overdue"
          .checked=${this.overdue}
          @change=${(event: Event) => {
            this.overdue = (event.target as HTMLInputElement).checked;
            this.offset = 0;
          }}
        />
        ${t('followUpsPage.overdueOnly')}
      </label>
    </div>`;
  }

  private renderItem(work: FollowUpWork) {
    const t = this.i18n.t.bind(this.i18n);
    const supervising = this.viewerRole !== 'agent';
    return html`<li class=${work.overdue ? 'overdue' : ''} data-follow-up=${work.id}>
      <cti-follow-up-item .followUp=${asItem(work)} detailed>
        <p>
          <a href=${routeHref({ name: 'customer', id: work.customer.id })}
            >${t('followUps.customer', { name: work.customer.name })}</a
          >
        </p>
        <div class="row-actions">
          ${ACTIONS[work.status].map(
            (action) =>
              html`<button
                type="button"
                class=${action === 'complete' ? 'primary' : ''}
                data-action=${action}
                aria-disabled=${this.busyId === work.id ? 'true' : 'false'}
                @click=${() => void this.move(work, action)}
              >
                ${t(`followUps.action.${action}`)}
              </button>`,
          )}
        </div>
        ${
          supervising
            ? html`<cti-follow-up-reassign
                .followUp=${work}
                @cti-follow-up-reassigned=${this.onReassigned}
              ></cti-follow-up-reassign>`
            : nothing
        }
      </cti-follow-up-item>
    </li>`;
  }

  private renderPager(page: FollowUpPage) {
    if (page.total <= page.limit) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    return html`<div class="pager">
      <button
        type="button"
        ?disabled=${page.offset === 0}
        @click=${() => (this.offset = Math.max(0, page.offset - page.limit))}
      >
        ${t('followUpsPage.previous')}
      </button>
      <span
        >${t('followUpsPage.range', {
          from: page.offset + 1,
          to: page.offset + page.items.length,
          total: page.total,
        })}</span
      >
      <button
        type="button"
        ?disabled=${page.offset + page.limit >= page.total}
        @click=${() => (this.offset = page.offset + page.limit)}
      >
        ${t('followUpsPage.next')}
      </button>
    </div>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<h1>${t('followUpsPage.title')}</h1>
      <nav class="tabs" aria-label=${t('followUpsPage.tabs')}>
        ${this.tab('mine', t('followUpsPage.mine'))} ${this.tab('team', t('followUpsPage.team'))}
      </nav>
      ${this.renderCounts()} ${this.renderFilters()}
      <div role="status" aria-live="polite">${this.notice ? this.i18n.message(this.notice) : ''}</div>
      ${this.problem ? html`<p class="error" role="alert">${this.i18n.message(this.problem)}</p>` : nothing}
      ${
        this.page === null
          ? html`<p class="muted">${t('common.loading')}</p>`
          : this.page.items.length === 0
            ? html`<p class="muted">${t('followUpsPage.empty')}</p>`
            : html`<ul class="items">
                ${this.page.items.map((work) => this.renderItem(work))}
              </ul>`
      }
      ${this.page ? this.renderPager(this.page) : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-follow-ups-page': CtiFollowUpsPage;
  }
}
