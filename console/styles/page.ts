import { css } from 'lit';
import { shared } from './shared.js';

/** A routed page's element: the shared styles, and room under the page's one `h1`. */
export const page = [
  shared,
  css`
    h1 {
      margin-bottom: var(--cti-space-4);
    }
  `,
];
