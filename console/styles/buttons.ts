import { css } from 'lit';

/** Buttons: the default, `primary`, `danger`, a link styled as one (`a.button`), and their disabled and focus states. */
export const buttons = css`
  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--cti-space-2);
    min-height: 2.5rem;
    padding: var(--cti-space-2) var(--cti-space-4);
    border: 1px solid var(--cti-color-border-strong);
    border-radius: var(--cti-radius-md);
    background: var(--cti-color-surface);
    color: var(--cti-color-text);
    font-weight: 600;
    cursor: pointer;
  }
  button:hover {
    background: var(--cti-color-surface-muted);
  }
  button.primary {
    background: var(--cti-color-primary);
    border-color: var(--cti-color-primary);
    color: var(--cti-color-primary-text);
  }
  button.primary:hover {
    background: var(--cti-color-primary-hover);
  }
  button:disabled,
  button[aria-disabled='true'] {
    opacity: 0.6;
    cursor: not-allowed;
  }
  button:focus-visible {
    border-radius: var(--cti-radius-md);
  }

  button.danger {
    background: var(--cti-color-danger);
    border-color: var(--cti-color-danger);
    color: var(--cti-color-primary-text);
  }
  button.danger:hover {
    background: var(--cti-color-danger);
    filter: brightness(0.9);
  }
  a.button {
    display: inline-flex;
    align-items: center;
    min-height: 2.5rem;
    padding: var(--cti-space-2) var(--cti-space-4);
    border: 1px solid var(--cti-color-primary);
    border-radius: var(--cti-radius-md);
    font-weight: 600;
    text-decoration: none;
  }
  a.button:hover {
    background: var(--cti-color-primary-soft);
  }
`;
