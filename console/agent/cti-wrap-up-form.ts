import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { WrapUpCode } from '../../contracts/call-queue.js';
import type { DeskState, WrapUpPayload } from '../../contracts/desk.js';
import '../components/cti-countdown.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import { callerLabel } from './desk-view.js';
import { TickController } from '../components/tick-controller.js';
import {
  EMPTY_DRAFT,
  NOTES_MAX_LENGTH,
  needsCallbackTime,
  selectableCodes,
  toLocalDateTime,
  validateWrapUp,
  type WrapUpDraft,
  type WrapUpErrors,
  type WrapUpField,
} from './wrap-up.js';
import { emit, focusRendered } from '../components/events.js';

export type DeskWrapUp = NonNullable<DeskState['wrapUp']>;

/**
 * Drafts by interaction, so an agent who leaves the desk mid-wrap-up (to create the caller as a
 * customer, say) finds their notes when they come back. Only the current wrap-up's draft is kept.
 */
const drafts = new Map<number, WrapUpDraft>();

const FIELD_ORDER: readonly WrapUpField[] = ['code', 'callbackAt', 'notes'];

/**
 * After-call work: the wrap-up code (required when the queue says so), notes, and for a code that
 * schedules a callback the time to call back; with a countdown when after-call work is timed. Checks the
 * form, then fires `cti-wrap-up-submit` with the payload for the server when the agent clicks
 * "Submit wrap-up".
 */
@customElement('cti-wrap-up-form')
export class CtiWrapUpForm extends LitElement {
  static override styles = [
    shared,
    css`
      .card {
        border: 2px solid var(--cti-color-warning-border);
      }
      header {
        margin-bottom: var(--cti-space-2);
      }
      .about {
        margin-bottom: var(--cti-space-4);
        color: var(--cti-color-text-muted);
        overflow-wrap: anywhere;
      }
      fieldset {
        margin: 0 0 var(--cti-space-4);
        padding: 0;
        border: none;
        min-width: 0;
      }
      legend {
        margin-bottom: var(--cti-space-2);
        padding: 0;
        font-weight: 600;
        font-size: var(--cti-font-size-sm);
      }
      .required {
        color: var(--cti-color-danger);
      }
      .choices {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 14rem), 1fr));
        gap: var(--cti-space-2);
      }
      .choice {
        display: flex;
        align-items: flex-start;
        gap: var(--cti-space-2);
        margin: 0;
        padding: var(--cti-space-2) var(--cti-space-3);
        border: 1px solid var(--cti-color-border);
        border-radius: var(--cti-radius-md);
        background: var(--cti-color-surface);
        font-weight: 400;
        font-size: var(--cti-font-size-md);
        cursor: pointer;
      }
      .choice:has(input:checked) {
        border-color: var(--cti-color-primary);
        background: var(--cti-color-primary-soft);
      }
      .choice:has(input:focus-visible) {
        box-shadow: var(--cti-focus-ring);
      }
      .choice input {
        width: 1.125rem;
        height: 1.125rem;
        margin: 0.15rem 0 0;
        accent-color: var(--cti-color-primary);
        flex: none;
      }
      .choice input:focus-visible {
        box-shadow: none;
      }
      .choice-text {
        display: flex;
        flex-direction: column;
      }
      .action {
        color: var(--cti-color-text-muted);
        font-size: var(--cti-font-size-sm);
      }
      [aria-invalid='true'] {
        border-color: var(--cti-color-danger);
      }
      .callback {
        max-width: 20rem;
      }
      .form-actions button {
        min-height: 3rem;
      }
      @media (max-width: 30rem) {
        .form-actions button {
          flex: 1 1 100%;
        }
        .callback {
          max-width: none;
        }
      }
    `,
  ];

  @property({ attribute: false }) wrapUp: DeskWrapUp | null = null;
  /** A command is under way or the desk is disconnected: the button says so but stays focusable. */
  @property({ type: Boolean }) busy = false;

  @state() private draft: WrapUpDraft = EMPTY_DRAFT;
  /** Shown after the first submit, then kept current as the agent fixes them. */
  @state() private errors: WrapUpErrors = {};
  @state() private attempted = false;

  private readonly i18n = new I18nController(this);
  private readonly clock = new TickController(this);

  /** Moves focus to the form's heading, when the wrap-up replaces what had focus. */
  async focusHeading(): Promise<void> {
    await focusRendered(this, 'h2');
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('wrapUp')) return;
    const previous = changed.get('wrapUp');
    const id = this.wrapUp?.interactionId;
    if (previous?.interactionId === id) return;
    for (const key of drafts.keys()) if (key !== id) drafts.delete(key);
    this.draft = (id !== undefined && drafts.get(id)) || EMPTY_DRAFT;
    this.errors = {};
    this.attempted = false;
  }

  private check(draft: WrapUpDraft) {
    const wrapUp = this.wrapUp;
    if (!wrapUp) return null;
    return validateWrapUp(draft, {
      interactionId: wrapUp.interactionId,
      codes: wrapUp.codes,
      codeRequired: wrapUp.codeRequired,
      now: new Date(),
    });
  }

  private edit(change: Partial<WrapUpDraft>): void {
    this.draft = { ...this.draft, ...change };
    if (this.wrapUp) drafts.set(this.wrapUp.interactionId, this.draft);
    if (this.attempted) {
      const result = this.check(this.draft);
      this.errors = result && !result.ok ? result.errors : {};
    }
  }

  private readonly onCode = (event: Event): void => {
    const value = (event.target as HTMLInputElement).value;
    this.edit({ codeId: value === '' ? null : Number(value) });
  };

  private readonly onSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const result = this.check(this.draft);
    if (!result) return;
    this.attempted = true;
    if (!result.ok) {
      this.errors = result.errors;
      await this.updateComplete;
      this.focusFirstError(result.errors);
      return;
    }
    this.errors = {};
    emit(this, 'cti-wrap-up-submit', result.payload);
  };

  private focusFirstError(errors: WrapUpErrors): void {
    const field = FIELD_ORDER.find((name) => errors[name]);
    const root = this.renderRoot;
    if (field === 'code') {
      (
        root.querySelector<HTMLInputElement>('input[name="code"]:checked') ??
        root.querySelector<HTMLInputElement>('input[name="code"]')
      )?.focus();
    } else if (field === 'callbackAt') {
      root.querySelector<HTMLInputElement>('#callback-at')?.focus();
    } else if (field === 'notes') {
      root.querySelector<HTMLTextAreaElement>('#notes')?.focus();
    }
  }

  /** What choosing the code does: its action and the follow-up it creates, when any. */
  private actionText(code: WrapUpCode): string | null {
    const followUp = code.followUp
      ? this.i18n.t(`wrapUpFollowUp.${code.followUp.owner}`, {
          kind: this.i18n.t(`followUps.kind.${code.followUp.kind}`),
          hours: code.followUp.dueInHours,
        })
      : null;
    const parts = [this.codeActionText(code), followUp].filter((part) => part !== null);
    return parts.length > 0 ? parts.join(' · ') : null;
  }

  private codeActionText(code: WrapUpCode): string | null {
    switch (code.action) {
      case 'none':
        return null;
      case 'lifecycle_change':
        return code.actionLifecycleStage
          ? this.i18n.t('wrapUpAction.lifecycle_change', {
              stage: this.i18n.lifecycle(code.actionLifecycleStage),
            })
          : null;
      default:
        return this.i18n.t(`wrapUpAction.${code.action}`);
    }
  }

  private renderChoice(value: string, label: string, checked: boolean, action: string | null) {
    const id = `code-${value || 'none'}`;
    return html`<label class="choice">
      <input
        type="radio"
        name="code"
        value=${value}
        .checked=${live(checked)}
        aria-describedby=${action ? `${id}-action` : nothing}
        @change=${this.onCode}
      />
      <span class="choice-text"
        ><span>${label}</span>${
          action ? html`<span id="${id}-action" class="action">${action}</span>` : nothing
        }</span
      >
    </label>`;
  }

  private renderCodes(wrapUp: DeskWrapUp) {
    const t = this.i18n.t.bind(this.i18n);
    const codes = selectableCodes(wrapUp.codes);
    if (codes.length === 0) return html`<p class="field">${t('wrapUp.noCodes')}</p>`;
    const error = this.errors.code;
    return html`<fieldset
      role="radiogroup"
      aria-labelledby="code-legend"
      aria-required=${wrapUp.codeRequired ? 'true' : 'false'}
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby="code-error"
    >
      <legend id="code-legend">
        ${t('wrapUp.code')}${wrapUp.codeRequired ? html`<span class="required" aria-hidden="true"> *</span>` : nothing}
      </legend>
      <div class="choices">
        ${wrapUp.codeRequired ? nothing : this.renderChoice('', t('wrapUp.noCode'), this.draft.codeId === null, null)}
        ${codes.map((code) =>
          this.renderChoice(
            String(code.id),
            code.label,
            this.draft.codeId === code.id,
            this.actionText(code),
          ),
        )}
      </div>
      <p id="code-error" class="field-error" ?hidden=${!error}>${error ? t(error) : ''}</p>
    </fieldset>`;
  }

  private renderCallback(wrapUp: DeskWrapUp) {
    if (!needsCallbackTime(selectableCodes(wrapUp.codes), this.draft.codeId)) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    const error = this.errors.callbackAt;
    return html`<div class="field callback">
      <label for="callback-at"
        >${t('wrapUp.callbackAt')}<span class="required" aria-hidden="true"> *</span></label
      >
      <input
        id="callback-at"
        type="datetime-local"
        required
        min=${toLocalDateTime(new Date(this.clock.now))}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby="callback-error"
        .value=${live(this.draft.callbackAt)}
        @input=${(event: InputEvent) => this.edit({ callbackAt: (event.target as HTMLInputElement).value })}
      />
      <p id="callback-error" class="field-error" ?hidden=${!error}>${error ? t(error) : ''}</p>
    </div>`;
  }

  override render() {
    const wrapUp = this.wrapUp;
    if (!wrapUp) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    const notesError = this.errors.notes;
    const caller = callerLabel(wrapUp) ?? t('desk.caller.withheld');
    return html`<section class="card" aria-labelledby="wrap-up-heading">
      <header class="spread baseline">
        <h2 id="wrap-up-heading" tabindex="-1">${t('wrapUp.title')}</h2>
        ${
          wrapUp.deadline
            ? html`<cti-countdown
                .until=${wrapUp.deadline}
                message="wrapUp.endsIn"
                tone="warning"
              ></cti-countdown>`
            : nothing
        }
      </header>
      <p class="about">${t('wrapUp.callWith', { caller })}${wrapUp.queue ? ` · ${wrapUp.queue.name}` : ''}</p>
      <form novalidate @submit=${this.onSubmit}>
        ${this.renderCodes(wrapUp)} ${this.renderCallback(wrapUp)}
        <div class="field">
          <label for="notes">${t('wrapUp.notes')}</label>
          <textarea
            id="notes"
            rows="4"
            maxlength=${NOTES_MAX_LENGTH}
            aria-invalid=${notesError ? 'true' : 'false'}
            aria-describedby="notes-error"
            .value=${live(this.draft.notes)}
            @input=${(event: InputEvent) => this.edit({ notes: (event.target as HTMLTextAreaElement).value })}
          ></textarea>
          <p id="notes-error" class="field-error" ?hidden=${!notesError}>
            ${notesError ? t(notesError, { max: NOTES_MAX_LENGTH }) : ''}
          </p>
        </div>
        <div class="form-actions">
          <button type="submit" class="primary" aria-disabled=${this.busy ? 'true' : 'false'}>
            ${t('wrapUp.submit')}
          </button>
        </div>
      </form>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-wrap-up-form': CtiWrapUpForm;
  }
  interface HTMLElementEventMap {
    'cti-wrap-up-submit': CustomEvent<WrapUpPayload>;
  }
}
