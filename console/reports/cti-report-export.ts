import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { toUiMessage } from '../app/errors.js';
import {
  exportFileHref,
  getExport,
  startExport,
  type ExportKind,
  type ExportStatus,
} from '../data/reports.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';

const POLL_MS = 1000;

/**
 * A long export as a background job: starts it, shows its progress, and offers the file when it is done.
 * For ranges too large to wait on the streamed "Export CSV" link.
 */
@customElement('cti-report-export')
export class CtiReportExport extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: inline-flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-2);
      }
      progress {
        width: 8rem;
      }
    `,
  ];

  @property() kind: ExportKind = 'summary';
  @property({ attribute: false }) query: Record<string, string> = {};

  @state() private jobId: string | null = null;
  @state() private status: ExportStatus | null = null;
  @state() private error: UiMessage | null = null;

  private readonly i18n = new I18nController(this);
  private timer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  private readonly start = async (): Promise<void> => {
    if (this.status && (this.status.status === 'queued' || this.status.status === 'running')) return;
    clearTimeout(this.timer);
    this.error = null;
    this.status = null;
    try {
      this.jobId = (await startExport(this.kind, this.query)).id;
      await this.poll();
    } catch (error) {
      this.error = toUiMessage(error);
    }
  };

  private readonly poll = async (): Promise<void> => {
    if (!this.jobId) return;
    try {
      this.status = await getExport(this.jobId);
    } catch (error) {
      this.error = toUiMessage(error);
      return;
    }
    if (this.status.status === 'queued' || this.status.status === 'running') {
      this.timer = setTimeout(() => void this.poll(), POLL_MS);
    }
  };

  private renderStatus(status: ExportStatus, id: string) {
    const t = this.i18n.t.bind(this.i18n);
    switch (status.status) {
      case 'queued':
        return html`<span>${t('reports.export.queued')}</span>`;
      case 'running':
        return html`<progress
            aria-label=${t('reports.export.progress')}
            max=${status.totalRows ?? nothing}
            value=${status.rowsWritten}
          ></progress>
          <span
            >${t('reports.export.running', { done: status.rowsWritten, total: status.totalRows ?? '…' })}</span
          >`;
      case 'done':
        return html`<span>${t('reports.export.done')}</span>
          <a href=${exportFileHref(id)} download>${status.fileName ?? id}</a>`;
      case 'failed':
        return html`<span class="error">${t('reports.export.failed')}</span>`;
    }
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<button type="button" @click=${this.start}>${t('reports.export.start')}</button>
      <span role="status">
        ${this.status && this.jobId ? this.renderStatus(this.status, this.jobId) : nothing}
        ${this.error ? html`<span class="error">${this.i18n.message(this.error)}</span>` : nothing}
      </span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-report-export': CtiReportExport;
  }
}
