import { css } from 'lit';

/** The customer 360's cards: a card fills its grid cell, with its headings and plain lists. */
export const customerCard = css`
  section.card {
    height: 100%;
  }
  .card h2 {
    margin-bottom: var(--cti-space-3);
    font-size: 1.0625rem;
  }
  .card h3 {
    margin: var(--cti-space-3) 0 var(--cti-space-1);
    font-size: var(--cti-font-size-sm);
    color: var(--cti-color-text-muted);
  }
  ul.plain,
  ol.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  ul.plain li {
    padding: var(--cti-space-1) 0;
    overflow-wrap: anywhere;
  }
`;
