import { css } from 'lit';

/** Text for screen readers only: the way a label reaches assistive technology without taking space. */
export const visuallyHidden = css`
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;

/**
 * Text a person wrote (a note), shown as typed (`.written`: line breaks kept, long words wrapped), and
 * the small muted line of who, when or where under it (`.meta`).
 */
export const writtenText = css`
  .written {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .meta {
    margin-top: var(--cti-space-1);
    font-size: var(--cti-font-size-sm);
    color: var(--cti-color-text-muted);
  }
`;
