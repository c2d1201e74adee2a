import { css } from 'lit';
import { buttons } from './buttons.js';
import { forms } from './forms.js';
import { layout } from './layout.js';
import { visuallyHidden, writtenText } from './text.js';

/** Element-level styles every console element shares: layout, controls, focus, cards, tables, messages. */
export const shared = [
  layout,
  forms,
  buttons,
  visuallyHidden,
  writtenText,
  css`
    @media (prefers-reduced-motion: no-preference) {
      button,
      a {
        transition:
          background-color 120ms ease,
          box-shadow 120ms ease;
      }
    }
  `,
];
