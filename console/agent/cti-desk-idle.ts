import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AgentStatus } from '../../contracts/glossary.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import { RONA_REASON } from './desk-view.js';

/**
 * The desk with no work at hand: waiting for a call while available, or why no calls come (a break,
 * offline, or a missed offer that put the agent on a break).
 */
@customElement('cti-desk-idle')
export class CtiDeskIdle extends LitElement {
  static override styles = [
    shared,
    css`
      .idle {
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: var(--cti-space-3);
        padding: var(--cti-space-6) var(--cti-space-4);
        text-align: center;
      }
      .waiting {
        display: inline-flex;
        align-items: center;
        gap: var(--cti-space-3);
        font-size: var(--cti-font-size-lg);
        font-weight: 600;
      }
      .pulse {
        width: 0.875rem;
        height: 0.875rem;
        border-radius: 50%;
        background: var(--cti-color-success);
      }
      @media (prefers-reduced-motion: no-preference) {
        .pulse {
          animation: pulse 2s ease-in-out infinite;
        }
        @keyframes pulse {
          50% {
            opacity: 0.35;
          }
        }
      }
    `,
  ];

  @property() status: AgentStatus = 'offline';
  /** The break reason, if the agent is on a break. */
  @property() reason: string | null = null;

  private readonly i18n = new I18nController(this);

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    if (this.status === 'available') {
      return html`<div class="card idle">
        <p class="waiting">
          <span class="pulse" aria-hidden="true"></span><span>${t('desk.idle.waiting')}</span>
        </p>
      </div>`;
    }
    if (this.status === 'break' || this.status === 'offline') {
      const missed = this.status === 'break' && this.reason === RONA_REASON;
      return html`<div class="card idle">
        <p>${t(missed ? 'desk.idle.missed' : 'desk.idle.notTaking')}</p>
      </div>`;
    }
    return nothing;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-desk-idle': CtiDeskIdle;
  }
}
