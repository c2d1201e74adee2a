import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Agent } from '../../server/agents/agents.schemas.js';
import { attempt } from '../app/errors.js';
import { emit } from '../components/events.js';
import { listAgents } from '../data/directory.data.js';
import { listFollowUpTeams, reassignFollowUp, type FollowUpWork } from '../data/follow-ups.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';

/** The choices, loaded once per page: agents and teams change rarely. */
let choices: Promise<{ agents: Agent[]; teams: { id: number; name: string }[] }> | null = null;
function loadChoices() {
  choices ??= Promise.all([listAgents(), listFollowUpTeams()]).then(([agents, teams]) => ({
    agents: agents.filter((agent) => agent.active),
    teams,
  }));
  choices.catch(() => (choices = null));
  return choices;
}

/**
 * Supervisors' and admins' "Reassign": a select of agents and call queues' teams, then save. The
 * server refuses agents (403); this is shown only to the roles it allows. Fires
 * `cti-follow-up-reassigned` after a successful save.
 */
@customElement('cti-follow-up-reassign')
export class CtiFollowUpReassign extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
        align-items: end;
        margin-top: var(--cti-space-2);
      }
      label {
        display: grid;
        gap: var(--cti-space-1);
      }
    `,
  ];

  @property({ attribute: false }) followUp: FollowUpWork | null = null;

  @state() private open = false;
  @state() private agents: Agent[] = [];
  @state() private teams: { id: number; name: string }[] = [];
  @state() private problem: UiMessage | null = null;
  @state() private saving = false;

  private readonly i18n = new I18nController(this);

  private readonly show = async (): Promise<void> => {
    this.open = true;
    await attempt(
      async () => {
        ({ agents: this.agents, teams: this.teams } = await loadChoices());
      },
      (problem) => (this.problem = problem),
    );
  };

  private readonly save = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const followUp = this.followUp;
    if (!followUp || this.saving) return;
    const chosen = new FormData(event.target as HTMLFormElement).get('owner');
    const value = typeof chosen === 'string' ? chosen : '';
    const [type, id] = value.split(':');
    if (!id) return;
    this.saving = true;
    await attempt(
      async () => {
        await reassignFollowUp(
          followUp.id,
          type === 'agent' ? { ownerAgentId: Number(id) } : { ownerQueueId: Number(id) },
        );
        this.open = false;
        emit(this, 'cti-follow-up-reassigned', { followUpId: followUp.id });
      },
      (problem) => (this.problem = problem),
    );
    this.saving = false;
  };

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const owner = this.followUp?.owner;
    const current =
      owner?.type === 'agent'
        ? `agent:${owner.agentId}`
        : owner?.type === 'queue'
          ? `queue:${owner.queueId}`
          : '';
    if (!this.open) {
      return html`<button type="button" data-action="reassign" @click=${this.show}>
        ${t('followUpsPage.reassign')}
      </button>`;
    }
    return html`<form @submit=${this.save}>
        <label
          >${t('followUpsPage.reassignTo')}
          <select name="owner">
            ${this.agents.map(
              (agent) =>
                html`<option value=${`agent:${agent.id}`} ?selected=${current === `agent:${agent.id}`}>
                  ${t('followUpForm.ownerAgent', { name: agent.displayName })}
                </option>`,
            )}
            ${this.teams.map(
              (team) =>
                html`<option value=${`queue:${team.id}`} ?selected=${current === `queue:${team.id}`}>
                  ${t('followUps.team', { name: team.name })}
                </option>`,
            )}
          </select>
        </label>
        <button type="submit" class="primary" aria-disabled=${this.saving ? 'true' : 'false'}>
          ${this.saving ? t('common.saving') : t('followUpsPage.reassign')}
        </button>
        <button type="button" @click=${() => (this.open = false)}>${t('common.cancel')}</button>
      </form>
      ${this.problem ? html`<p class="error" role="alert">${this.i18n.message(this.problem)}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-follow-up-reassign': CtiFollowUpReassign;
  }
  interface HTMLElementEventMap {
    'cti-follow-up-reassigned': CustomEvent<{ followUpId: number }>;
  }
}
