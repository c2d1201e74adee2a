import { css } from 'lit';

/** Form controls, labels, hints and field errors, and the boxed set of filters above a list (`fieldset.filters`). */
export const forms = css`
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }

  input:not([type='checkbox']),
  select,
  textarea {
    width: 100%;
    min-height: 2.5rem;
    padding: var(--cti-space-2) var(--cti-space-3);
    border: 1px solid var(--cti-color-border-strong);
    border-radius: var(--cti-radius-md);
    background: var(--cti-color-surface);
  }
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible {
    border-color: var(--cti-color-primary);
    border-radius: var(--cti-radius-md);
  }
  input[type='checkbox'] {
    width: 1.125rem;
    height: 1.125rem;
    margin: 0;
    accent-color: var(--cti-color-primary);
  }
  textarea {
    resize: vertical;
    min-height: 5rem;
  }

  label,
  .label {
    display: block;
    margin-bottom: var(--cti-space-1);
    font-weight: 600;
    font-size: var(--cti-font-size-sm);
  }
  .field {
    margin-bottom: var(--cti-space-4);
  }
  .hint {
    margin-top: var(--cti-space-1);
    color: var(--cti-color-text-muted);
    font-size: var(--cti-font-size-sm);
  }

  .field-error {
    margin-top: var(--cti-space-1);
    color: var(--cti-color-danger);
    font-weight: 600;
    font-size: var(--cti-font-size-sm);
  }
  .form-actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--cti-space-3);
  }

  fieldset.filters {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 11rem), 1fr));
    gap: var(--cti-space-3);
    margin: 0;
    padding: var(--cti-space-4);
    border: 1px solid var(--cti-color-border);
    border-radius: var(--cti-radius-md);
    background: var(--cti-color-surface);
  }
  fieldset.filters legend {
    padding: 0 var(--cti-space-1);
    font-weight: 700;
  }
`;
