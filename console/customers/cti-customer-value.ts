import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Tier } from '../../contracts/glossary.js';
import type { CustomerValue, ValueReason } from '../../server/customer-value/customer-value.schemas.js';
import { toUiMessage } from '../app/errors.js';
import { emit } from '../components/events.js';
import { selectField } from '../components/fields.js';
import { LatestRequestController } from '../components/latest-request-controller.js';
import { endTierOverride, getCustomerValue, overrideTier } from '../data/customer-value.data.js';
import { isTier, TIERS } from '../data/vocabulary.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import { customerCard } from './customer-card.styles.js';

export interface CustomerTierChangeDetail {
  /** The tier in force now. */
  tier: Tier;
  message: UiMessage;
}

/** The date input's value for the day after today, in the viewer's time zone: the earliest expiry. */
function tomorrow(): string {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/**
 * Why the customer has their tier ("Gold: lifetime value ¥48,200, top 3 %") and an active override;
 * for supervisors and admins (`canOverride`), the form to override the tier until a date. Fires
 * `cti-customer-tier-change` after an override is set or ended.
 */
@customElement('cti-customer-value')
export class CtiCustomerValue extends LitElement {
  static override styles = [
    shared,
    customerCard,
    css`
      .reason {
        font-weight: 600;
      }
      .override {
        margin: var(--cti-space-3) 0;
        padding: var(--cti-space-2) var(--cti-space-3);
        border-left: 4px solid var(--cti-color-warning-border);
        background: var(--cti-color-warning-soft);
        overflow-wrap: anywhere;
      }
      form {
        margin-top: var(--cti-space-3);
      }
      textarea,
      input[type='date'] {
        width: 100%;
        box-sizing: border-box;
      }
      .form-actions {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-2);
        margin-top: var(--cti-space-2);
      }
      .error:not(:empty) {
        margin-top: var(--cti-space-2);
      }
    `,
  ];

  @property({ type: Number }) customerId = 0;
  /** Supervisors and admins may override the tier; agents only read why it is what it is. */
  @property({ type: Boolean }) canOverride = false;

  @state() private value: CustomerValue | null = null;
  @state() private error: UiMessage | null = null;
  @state() private busy = false;
  @state() private draftTier: Tier = 'gold';

  @query('#override-reason') private reasonInput!: HTMLTextAreaElement;
  @query('#override-expiry') private expiryInput!: HTMLInputElement;

  private readonly i18n = new I18nController(this);
  private readonly request = new LatestRequestController(this);

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customerId')) void this.load();
  }

  private readonly load = async (): Promise<void> => {
    this.value = null;
    const outcome = await this.request.run((signal) => getCustomerValue(this.customerId, signal));
    if (!outcome) return;
    if ('value' in outcome) this.value = outcome.value;
    else this.error = toUiMessage(outcome.error);
  };

  private money(amount: number, currency: string): string {
    return new Intl.NumberFormat(this.i18n.lang, {
      style: 'currency',
      currency,
      maximumFractionDigits: 0,
    }).format(amount);
  }

  private percent(value: number): string {
    return new Intl.NumberFormat(this.i18n.lang, { maximumSignificantDigits: 2 }).format(value);
  }

  private reasonText(reason: ValueReason): string {
    return this.i18n.t('value.reason', {
      tier: this.i18n.tier(reason.tier),
      amount: this.money(reason.lifetimeValue, reason.currency),
      percent: this.percent(reason.topPercent),
    });
  }

  private async change(work: () => Promise<CustomerValue>, message: UiMessage): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    try {
      this.value = await work();
      emit(this, 'cti-customer-tier-change', { tier: this.value.tier, message });
      return true;
    } catch (error) {
      this.error = toUiMessage(error);
      return false;
    } finally {
      this.busy = false;
    }
  }

  private readonly onOverride = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const reason = this.reasonInput.value.trim();
    if (reason.length < 3) {
      this.error = { key: 'value.override.reasonRequired' };
      this.reasonInput.focus();
      return;
    }
    if (!this.expiryInput.value || this.expiryInput.value < tomorrow()) {
      this.error = { key: 'value.override.dateRequired' };
      this.expiryInput.focus();
      return;
    }
    // The override lasts through the chosen day, in the supervisor's time zone.
    const expiresAt = new Date(`${this.expiryInput.value}T23:59:59`).toISOString();
    const saved = await this.change(
      () => overrideTier(this.customerId, { tier: this.draftTier, reason, expiresAt }),
      { key: 'value.override.saved' },
    );
    if (saved) this.reasonInput.value = '';
  };

  private readonly onEnd = (): void => {
    void this.change(() => endTierOverride(this.customerId), { key: 'value.override.ended' });
  };

  private renderOverride(value: CustomerValue) {
    const t = this.i18n.t.bind(this.i18n);
    const override = value.override;
    if (!override) return nothing;
    return html`<div class="override">
      <p>
        ${t('value.override.active', { tier: this.i18n.tier(override.tier), date: this.i18n.date(override.expiresAt) })}
      </p>
      <p class="meta">
        ${t('value.override.by', { name: override.setByName ?? t('notes.unknownAuthor'), reason: override.reason })}
      </p>
      ${
        this.canOverride
          ? html`<button type="button" aria-disabled=${this.busy ? 'true' : 'false'} @click=${this.onEnd}>
              ${t('value.override.end')}
            </button>`
          : nothing
      }
    </div>`;
  }

  private renderForm() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<form @submit=${this.onOverride} novalidate>
      <h3>${t('value.override.title')}</h3>
      ${selectField({
        id: 'override-tier',
        label: t('value.override.tier'),
        options: TIERS.map((tier) => ({ value: tier, label: this.i18n.tier(tier) })),
        value: this.draftTier,
        onChange: (tier) => {
          if (isTier(tier)) this.draftTier = tier;
        },
      })}
      <div class="field">
        <label for="override-reason">${t('value.override.reason')}</label>
        <textarea id="override-reason" rows="2" maxlength="500"></textarea>
      </div>
      <div class="field">
        <label for="override-expiry">${t('value.override.expires')}</label>
        <input id="override-expiry" type="date" min=${tomorrow()} aria-describedby="override-expiry-hint" />
        <p class="hint" id="override-expiry-hint">${t('value.override.hint')}</p>
      </div>
      <div class="form-actions">
        <button type="submit" class="primary" aria-disabled=${this.busy ? 'true' : 'false'}>
          ${t('value.override.save')}
        </button>
        <span class="status" aria-live="polite">${this.busy ? t('common.saving') : ''}</span>
      </div>
    </form>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const { value } = this;
    return html`<section class="card" aria-labelledby="value-heading">
      <h2 id="value-heading">${t('value.title')}</h2>
      ${this.request.loading ? html`<p class="status" role="status">${t('common.loading')}</p>` : nothing}
      ${
        value
          ? html`${
              value.computed
                ? html`<p class="reason">${this.reasonText(value.computed.reason)}</p>
                    <p class="meta">
                      ${t('value.recent', {
                        days: value.computed.reason.recentDays,
                        amount: this.money(value.computed.reason.recentSpend, value.computed.reason.currency),
                      })}
                    </p>`
                : html`<p class="muted">${t('value.notComputed')}</p>`
            }
            ${this.renderOverride(value)} ${this.canOverride ? this.renderForm() : nothing}`
          : nothing
      }
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-customer-value': CtiCustomerValue;
  }
  interface HTMLElementEventMap {
    'cti-customer-tier-change': CustomEvent<CustomerTierChangeDetail>;
  }
}
