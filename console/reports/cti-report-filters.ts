import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Agent } from '../../server/agents/agents.schemas.js';
import type { CallQueue, WrapUpCode } from '../../contracts/call-queue.js';
import { toUiMessage } from '../app/errors.js';
import { emit } from '../components/events.js';
import { listAgents, listQueues, listWrapUpCodes } from '../data/directory.data.js';
import { listSegments, type Segment } from '../data/segments.data.js';
import { LIFECYCLE_STAGES, TIERS } from '../data/vocabulary.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { MessageKey, UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import {
  DIRECTIONS,
  FILTER_NAMES,
  GROUPINGS,
  PRESETS,
  PROVIDERS,
  type FilterName,
  type ReportForm,
} from './report-query.js';

interface Option {
  value: string;
  label: string;
}

function zones(current: string): string[] {
  const known = Intl.supportedValuesOf('timeZone');
  return known.includes(current) ? known : [current, ...known];
}

/**
 * The report's range, time zone, filters and grouping. Fires `cti-report-form-change` with the whole
 * new form whenever the user changes a control.
 */
@customElement('cti-report-filters')
export class CtiReportFilters extends LitElement {
  static override styles = [
    shared,
    css`
      .field {
        margin: 0;
      }
      select,
      input {
        width: 100%;
      }
    `,
  ];

  @property({ attribute: false }) form: ReportForm | null = null;

  @state() private queues: CallQueue[] = [];
  @state() private agents: Agent[] = [];
  @state() private codes: WrapUpCode[] = [];
  @state() private segments: Segment[] = [];
  @state() private error: UiMessage | null = null;

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadDirectory();
  }

  private async loadDirectory(): Promise<void> {
    try {
      let segments: { items: Segment[] };
      [this.queues, this.agents, this.codes, segments] = await Promise.all([
        listQueues(),
        listAgents(),
        listWrapUpCodes(),
        listSegments(),
      ]);
      this.segments = segments.items;
    } catch (error) {
      this.error = toUiMessage(error);
    }
  }

  private readonly onChange = (event: Event): void => {
    if (!this.form) return;
    const control = event.target as HTMLInputElement | HTMLSelectElement;
    const { name, value } = control;
    const form: ReportForm = { ...this.form, filters: { ...this.form.filters } };
    if ((FILTER_NAMES as readonly string[]).includes(name)) form.filters[name as FilterName] = value;
    else if (name === 'preset') form.preset = value as ReportForm['preset'];
    else if (name === 'grouping') form.grouping = value as ReportForm['grouping'];
    else if (name === 'timeZone') form.timeZone = value;
    else if (name === 'fromDay') form.fromDay = value;
    else if (name === 'toDay') form.toDay = value;
    emit(this, 'cti-report-form-change', form);
  };

  private select(name: string, label: string, value: string, options: Option[], all = true) {
    return html`<div class="field">
      <label for=${name}>${label}</label>
      <select id=${name} name=${name}>
        ${all ? html`<option value="" ?selected=${value === ''}>${this.i18n.t('reports.all')}</option>` : nothing}
        ${options.map((o) => html`<option value=${o.value} ?selected=${o.value === value}>${o.label}</option>`)}
      </select>
    </div>`;
  }

  override render() {
    const form = this.form;
    if (!form) return null;
    const t = this.i18n.t.bind(this.i18n);
    const f = form.filters;
    const keyed = (list: readonly string[], prefix: string): Option[] =>
      list.map((value) => ({ value, label: t(`${prefix}.${value}` as MessageKey) }));
    return html`<form @submit=${(e: Event) => e.preventDefault()} @change=${this.onChange}>
      <fieldset class="filters">
        <legend>${t('reports.form')}</legend>
        ${this.select('preset', t('reports.period'), form.preset, keyed(PRESETS, 'reports.preset'), false)}
        ${
          form.preset === 'custom'
            ? html`<div class="field">
                  <label for="fromDay">${t('reports.fromDay')}</label>
                  <input id="fromDay" name="fromDay" type="date" .value=${form.fromDay} />
                </div>
                <div class="field">
                  <label for="toDay">${t('reports.toDay')}</label>
                  <input
                    id="toDay"
                    name="toDay"
                    type="date"
                    .value=${form.toDay}
                    min=${form.fromDay || nothing}
                  />
                </div>`
            : nothing
        }
        ${this.select(
          'timeZone',
          t('reports.timeZone'),
          form.timeZone,
          zones(form.timeZone).map((zone) => ({ value: zone, label: zone })),
          false,
        )}
        ${this.select('grouping', t('reports.grouping'), form.grouping, keyed(GROUPINGS, 'reports.group'), false)}
        ${this.select(
          'queueId',
          t('interactions.queue'),
          f.queueId,
          this.queues.map((q) => ({ value: String(q.id), label: q.name })),
        )}
        ${this.select(
          'agentId',
          t('interactions.agent'),
          f.agentId,
          this.agents.map((a) => ({ value: String(a.id), label: a.displayName })),
        )}
        ${this.select(
          'tier',
          t('tier.label'),
          f.tier,
          TIERS.map((tier) => ({ value: tier, label: this.i18n.tier(tier) })),
        )}
        ${this.select(
          'lifecycleStage',
          t('lifecycle.label'),
          f.lifecycleStage,
          LIFECYCLE_STAGES.map((stage) => ({ value: stage, label: this.i18n.lifecycle(stage) })),
        )}
        ${this.select(
          'wrapUpCodeId',
          t('interactions.col.wrapUp'),
          f.wrapUpCodeId,
          this.codes.map((c) => ({ value: String(c.id), label: c.label })),
        )}
        ${this.select(
          'provider',
          t('reports.filter.provider'),
          f.provider,
          PROVIDERS.map((p) => ({ value: p, label: p === 'sip' ? 'SIP' : p[0]!.toUpperCase() + p.slice(1) })),
        )}
        ${this.select('direction', t('reports.filter.direction'), f.direction, keyed(DIRECTIONS, 'reports.direction'))}
        ${this.select(
          'segmentId',
          t('reports.filter.segment'),
          f.segmentId,
          this.segments.map((segment) => ({ value: String(segment.id), label: segment.name })),
        )}
      </fieldset>
      <p class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</p>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-report-filters': CtiReportFilters;
  }
  interface HTMLElementEventMap {
    'cti-report-form-change': CustomEvent<ReportForm>;
  }
}
