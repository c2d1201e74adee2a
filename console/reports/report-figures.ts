/** Which figures the report shows, how each is formatted, and which interactions stand behind it. */
import type { DrillMetric, Report, ReportRow } from '../../server/reports/reports.schemas.js';
import { routeHref } from '../app/routes.js';
import type { I18nController } from '../i18n/i18n-controller.js';
import type { MessageKey } from '../i18n/i18n.js';
import { drillQuery, toSearch, type ApiQuery, type Interval } from './report-query.js';

export type Metrics = Report['totals'];
type Format = 'count' | 'percent' | 'seconds';

export interface Figure {
  key: keyof Metrics;
  /** The interactions a click lists: a rate or an average lists the calls it is taken over. */
  drill: DrillMetric;
  format: Format;
}

const figure = (key: keyof Metrics, drill: DrillMetric, format: Format = 'count'): Figure => ({
  key,
  drill,
  format,
});

export const TABLE_FIGURES: readonly Figure[] = [
  figure('offered', 'offered'),
  figure('answered', 'answered'),
  figure('abandoned', 'abandoned'),
  figure('abandonPercent', 'abandoned', 'percent'),
  figure('serviceLevelPercent', 'answeredWithinTarget', 'percent'),
  figure('asaSeconds', 'answered', 'seconds'),
  figure('ahtSeconds', 'handled', 'seconds'),
  figure('averageHoldSeconds', 'held', 'seconds'),
  figure('longestWaitSeconds', 'offered', 'seconds'),
  figure('transfers', 'transfers'),
  figure('callbacksRequested', 'callbacksRequested'),
  figure('callbacksKept', 'callbacksKept'),
  figure('callbacksFailed', 'callbacksFailed'),
  figure('rona', 'rona'),
  figure('voicemails', 'voicemails'),
];

export function figureLabel(i18n: I18nController, key: keyof Metrics | DrillMetric): string {
  return i18n.t(`reports.metric.${key}` as MessageKey);
}

export function formatFigure(i18n: I18nController, value: number | null, format: Format): string {
  if (value === null) return '—';
  if (format === 'seconds') return i18n.duration(value);
  if (format === 'percent') {
    return new Intl.NumberFormat(i18n.lang, { style: 'percent', maximumFractionDigits: 1 }).format(
      value / 100,
    );
  }
  return new Intl.NumberFormat(i18n.lang).format(value);
}

/** The drill-down page's address for a figure of `row` (the totals without one); null when unselectable. */
export function drillHref(summary: ApiQuery, metric: DrillMetric, row?: ReportRow): string | null {
  const query = drillQuery(summary, metric, row);
  return query ? routeHref({ name: 'reportInteractions', search: toSearch(query) }) : null;
}

/** A period's start as the reader of its interval expects it, on the report zone's clock. */
export function periodText(
  i18n: I18nController,
  start: string,
  interval: Interval,
  timeZone: string,
): string {
  const options: Intl.DateTimeFormatOptions =
    interval === 'month'
      ? { year: 'numeric', month: 'long' }
      : interval === 'day' || interval === 'week'
        ? { dateStyle: 'medium' }
        : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(i18n.lang, { ...options, timeZone }).format(new Date(start));
}
