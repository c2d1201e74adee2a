import { css } from 'lit';

/** Page structure: headings, a `spread` row that spreads a title and its companions across a line (wrapping on a phone), cards, messages and tables. */
export const layout = css`
  :host {
    display: block;
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }

  h1,
  h2,
  h3 {
    margin: 0;
    line-height: 1.25;
  }
  h1 {
    font-size: var(--cti-font-size-xl);
  }
  h2 {
    font-size: var(--cti-font-size-lg);
  }
  h3 {
    font-size: var(--cti-font-size-md);
  }
  p {
    margin: 0;
  }

  a {
    color: var(--cti-color-primary);
  }
  a:hover {
    color: var(--cti-color-primary-hover);
  }

  :focus-visible {
    outline: none;
    box-shadow: var(--cti-focus-ring);
    border-radius: var(--cti-radius-sm);
  }
  /* Only a script moves focus to a heading (tabindex="-1"): it shows the ring above, only when visible. */
  h1:focus,
  h2:focus,
  h3:focus {
    outline: none;
  }

  .spread {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--cti-space-2) var(--cti-space-4);
  }
  .spread.baseline {
    align-items: baseline;
  }
  /* Short facts on one line (a kind, a date, a badge), wrapping on a narrow screen. */
  .line {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cti-space-1) var(--cti-space-3);
    align-items: center;
  }

  .card {
    background: var(--cti-color-surface);
    border: 1px solid var(--cti-color-border);
    border-radius: var(--cti-radius-md);
    box-shadow: var(--cti-shadow-card);
    padding: var(--cti-space-4);
  }
  .muted {
    color: var(--cti-color-text-muted);
  }

  .error:not(:empty) {
    padding: var(--cti-space-3) var(--cti-space-4);
    border: 1px solid var(--cti-color-danger);
    border-left-width: 4px;
    border-radius: var(--cti-radius-md);
    background: var(--cti-color-danger-soft);
    color: var(--cti-color-danger);
    font-weight: 600;
  }
  .notice:not(:empty) {
    padding: var(--cti-space-3) var(--cti-space-4);
    border-left: 4px solid var(--cti-color-primary);
    border-radius: var(--cti-radius-md);
    background: var(--cti-color-primary-soft);
  }
  .status {
    color: var(--cti-color-text-muted);
    font-size: var(--cti-font-size-sm);
  }
  .empty {
    padding: var(--cti-space-4);
    color: var(--cti-color-text-muted);
    text-align: center;
  }

  /* Wide tables scroll inside their own box, never the page. */
  .table-scroll {
    overflow-x: auto;
    border: 1px solid var(--cti-color-border);
    border-radius: var(--cti-radius-md);
    background: var(--cti-color-surface);
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: var(--cti-font-size-sm);
  }
  .table-scroll table {
    min-width: 44rem;
  }
  caption {
    text-align: left;
  }
  th,
  td {
    padding: var(--cti-space-2) var(--cti-space-3);
    border-bottom: 1px solid var(--cti-color-border);
    text-align: left;
    vertical-align: top;
  }
  th {
    background: var(--cti-color-surface-muted);
    white-space: nowrap;
  }
  tbody tr:last-child td {
    border-bottom: none;
  }
  td.number {
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
`;
