import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  FOLLOW_UP_PRIORITIES,
  WORK_FOLLOW_UP_KINDS,
  type FollowUpPriority,
  type WorkFollowUpKind,
} from '../../contracts/glossary.js';
import type { Agent } from '../../server/agents/agents.schemas.js';
import type { Role } from '../../server/auth/auth.schemas.js';
import { attempt } from '../app/errors.js';
import { emit } from '../components/events.js';
import { listAgents } from '../data/directory.data.js';
import { createFollowUp, followUpCounts, listFollowUpTeams } from '../data/follow-ups.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { MessageKey, UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';

/** A `datetime-local` value (the user's wall clock) an hour from now, rounded to the quarter hour. */
function defaultDue(): string {
  const due = new Date(Date.now() + 3_600_000);
  due.setMinutes(Math.ceil(due.getMinutes() / 15) * 15, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${due.getFullYear()}-${pad(due.getMonth() + 1)}-${pad(due.getDate())}T${pad(due.getHours())}:${pad(due.getMinutes())}`;
}

/**
 * "New follow-up" on the customer 360 page: kind, title, due time, priority, note and owner. Agents
 * may give it to themselves or to the teams of their call queues; supervisors and admins to anyone
 * (the server checks the same). Fires `cti-follow-up-created` once it is saved.
 */
@customElement('cti-follow-up-form')
export class CtiFollowUpForm extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 14rem), 1fr));
        gap: var(--cti-space-3);
      }
      label {
        display: grid;
        gap: var(--cti-space-1);
      }
      .wide {
        grid-column: 1 / -1;
      }
      .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
      }
    `,
  ];

  @property({ type: Number }) customerId = 0;
  @property({ attribute: false }) viewerRole: Role = 'agent';

  @state() private teams: { id: number; name: string }[] = [];
  @state() private agents: Agent[] = [];
  @state() private problem: UiMessage | null = null;
  @state() private fieldError: MessageKey | null = null;
  @state() private saving = false;

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void attempt(
      async () => {
        const [teams, agents] = await Promise.all([
          listFollowUpTeams(),
          this.viewerRole === 'agent' ? Promise.resolve([]) : listAgents(),
        ]);
        this.teams = teams;
        this.agents = agents.filter((agent) => agent.active);
      },
      (problem) => (this.problem = problem),
    );
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#follow-up-title')?.focus();
  }

  private readonly save = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.saving) return;
    const form = new FormData(event.target as HTMLFormElement);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value : '';
    };
    const title = text('title').trim();
    const due = new Date(text('dueAt'));
    this.fieldError = !title
      ? 'followUpForm.titleRequired'
      : Number.isNaN(due.getTime())
        ? 'followUpForm.dueRequired'
        : null;
    if (this.fieldError) return;
    const [ownerType, ownerId] = text('owner').split(':');
    const note = text('note').trim();
    this.saving = true;
    await attempt(
      async () => {
        const created = await createFollowUp({
          customerId: this.customerId,
          kind: form.get('kind') as WorkFollowUpKind,
          title,
          dueAt: due.toISOString(),
          priority: form.get('priority') as FollowUpPriority,
          ...(note && { note }),
          ...(ownerType === 'agent' && { ownerAgentId: Number(ownerId) }),
          ...(ownerType === 'queue' && { ownerQueueId: Number(ownerId) }),
        });
        void followUpCounts.refresh();
        emit(this, 'cti-follow-up-created', { followUpId: created.id });
      },
      (problem) => (this.problem = problem),
    );
    this.saving = false;
  };

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<form @submit=${this.save} novalidate>
      <label
        >${t('followUpForm.kind')}
        <select name="kind">
          ${WORK_FOLLOW_UP_KINDS.map((kind) => html`<option value=${kind}>${t(`followUps.kind.${kind}`)}</option>`)}
        </select>
      </label>
      <label
        >${t('followUpForm.priority')}
        <select name="priority">
          ${FOLLOW_UP_PRIORITIES.map(
            (priority) =>
              html`<option value=${priority} ?selected=${priority === 'normal'}>
                ${t(`followUps.priority.${priority}`)}
              </option>`,
          )}
        </select>
      </label>
      <label class="wide"
        >${t('followUpForm.title')}
        <input
          id="follow-up-title"
          name="title"
          maxlength="200"
          required
          aria-invalid=${this.fieldError === 'followUpForm.titleRequired' ? 'true' : 'false'}
        />
      </label>
      <label
        >${t('followUpForm.dueAt')}
        <input
          name="dueAt"
          type="datetime-local"
          required
          .value=${defaultDue()}
          aria-invalid=${this.fieldError === 'followUpForm.dueRequired' ? 'true' : 'false'}
        />
      </label>
      <label
        >${t('followUpForm.owner')}
        <select name="owner">
          <option value="me">${t('followUpForm.ownerMe')}</option>
          ${this.teams.map(
            (team) =>
              html`<option value=${`queue:${team.id}`}>${t('followUps.team', { name: team.name })}</option>`,
          )}
          ${this.agents.map(
            (agent) =>
              html`<option value=${`agent:${agent.id}`}>
                ${t('followUpForm.ownerAgent', { name: agent.displayName })}
              </option>`,
          )}
        </select>
      </label>
      <label class="wide"
        >${t('followUpForm.note')}
        <textarea name="note" rows="2" maxlength="2000"></textarea>
      </label>
      ${this.fieldError ? html`<p class="error wide" role="alert">${t(this.fieldError)}</p>` : nothing}
      ${this.problem ? html`<p class="error wide" role="alert">${this.i18n.message(this.problem)}</p>` : nothing}
      <div class="buttons wide">
        <button type="submit" class="primary" aria-disabled=${this.saving ? 'true' : 'false'}>
          ${this.saving ? t('common.saving') : t('followUpForm.save')}
        </button>
        <button type="button" @click=${() => emit(this, 'cti-follow-up-form-close')}>
          ${t('common.cancel')}
        </button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-follow-up-form': CtiFollowUpForm;
  }
  interface HTMLElementEventMap {
    'cti-follow-up-created': CustomEvent<{ followUpId: number }>;
    'cti-follow-up-form-close': CustomEvent<void>;
  }
}
