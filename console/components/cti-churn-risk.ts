import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ChurnRisk, LifecycleReason } from '../../server/lifecycle/lifecycle.schemas.js';
import { I18nController } from '../i18n/i18n-controller.js';

/** Where a score turns medium and high: thirds of the scale, as the meter's low and high marks. */
const MEDIUM_FROM = 34;
const HIGH_FROM = 67;

const levelOf = (score: number) => (score >= HIGH_FROM ? 'high' : score >= MEDIUM_FROM ? 'medium' : 'low');

/** A lifecycle reason (code and numbers from the server) as a sentence in the console's language. */
export function lifecycleReasonText(i18n: I18nController, reason: LifecycleReason): string {
  const numbers = {
    days: reason.days ?? 0,
    count: reason.count ?? 0,
    score: reason.score ?? 0,
    threshold: reason.threshold ?? 0,
    percent: reason.percent ?? 0,
    recent: reason.recent ?? 0,
    previous: reason.previous ?? 0,
    history: reason.history ?? 0,
  };
  if (reason.code === 'set_by_hand' && reason.wrapUpCode) {
    return i18n.t('lifecycleReason.set_by_hand_code', { code: reason.wrapUpCode });
  }
  return i18n.t(`lifecycleReason.${reason.code}`, numbers);
}

/**
 * The churn-risk score, 0–100, as a meter with its level, and its strongest reasons phrased for the
 * agent. `compact` (the screen pop) keeps the reasons on one wrapping line.
 */
@customElement('cti-churn-risk')
export class CtiChurnRisk extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--cti-space-2);
    }
    .label {
      font-weight: 600;
    }
    meter {
      width: 6rem;
      max-width: 40%;
    }
    .score {
      font-weight: 700;
      font-variant-numeric: tabular-nums;
      padding: 0 0.4em;
      border-radius: var(--cti-radius-pill);
    }
    .high .score {
      color: var(--cti-color-danger);
      background: var(--cti-color-danger-soft);
    }
    .medium .score {
      color: var(--cti-color-warning-text);
      background: var(--cti-color-warning-soft);
    }
    .low .score {
      color: var(--cti-color-success);
      background: var(--cti-color-success-soft);
    }
    ul {
      margin: var(--cti-space-1) 0 0;
      padding-left: 1.2em;
      font-size: var(--cti-font-size-sm);
      overflow-wrap: anywhere;
    }
    :host([compact]) ul {
      display: flex;
      flex-wrap: wrap;
      gap: 0 var(--cti-space-3);
      padding-left: 0;
      list-style: none;
    }
    :host([compact]) li:not(:last-child)::after {
      content: ' ·';
    }
    .muted {
      margin: 0;
      color: var(--cti-color-text-muted);
      font-size: var(--cti-font-size-sm);
    }
  `;

  @property({ attribute: false }) churn: ChurnRisk | null = null;
  @property({ type: Boolean, reflect: true }) compact = false;

  private readonly i18n = new I18nController(this);

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const churn = this.churn;
    if (!churn) {
      return this.compact ? nothing : html`<p class="muted">${t('churn.notEvaluated')}</p>`;
    }
    const level = levelOf(churn.score);
    const score = t('churn.score', { score: churn.score });
    return html`<div class=${level}>
      <div class="head">
        <span class="label" id="churn-label">${t('churn.title')}</span>
        <meter
          aria-labelledby="churn-label"
          min="0"
          max="100"
          low=${MEDIUM_FROM}
          high=${HIGH_FROM}
          optimum="0"
          .value=${churn.score}
        ></meter>
        <span class="score">${score} · ${t(`churn.level.${level}`)}</span>
      </div>
      ${
        churn.reasons.length === 0
          ? html`<p class="muted">${t('churn.none')}</p>`
          : html`<ul aria-label=${t('churn.reasons')}>
              ${churn.reasons.map((reason) => html`<li>${lifecycleReasonText(this.i18n, reason)}</li>`)}
            </ul>`
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-churn-risk': CtiChurnRisk;
  }
}
