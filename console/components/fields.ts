import { html, noChange, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';

/** One labelled text input, as `textField` renders it. */
export interface TextFieldOptions {
  /** The input's id; a hint's id is `<id>-hint`. */
  id: string;
  label: string;
  type?: 'tel' | 'email' | 'password';
  /** The form control's name, for forms read through `form.elements`. */
  name?: string;
  /** The browser's autofill token; `off` unless given. */
  autocomplete?: string;
  autocapitalize?: 'none';
  spellcheck?: false;
  maxlength?: number;
  /** Marks the field required, with an asterisk that assistive technology skips (the input says it). */
  required?: boolean;
  /** A hint under the input, which describes it. */
  hint?: string;
  /** The id of a description outside the field, when the hint serves several fields. */
  describedBy?: string;
  /** The field spans the whole row of a field grid. */
  wide?: boolean;
  /** The value the input shows; with `onInput`, the element owns it. Without, the browser does (read it through the form). */
  value?: string;
  onInput?: (value: string) => void;
}

/**
 * A `.field` with a label bound to its input, rendered into the calling element's own shadow root so the
 * label's `for` and the input's `aria-describedby` reach their targets.
 */
export function textField(options: TextFieldOptions): TemplateResult {
  const { id, hint, onInput } = options;
  const describedBy = hint ? `${id}-hint` : options.describedBy;
  return html`<div class=${options.wide ? 'field wide' : 'field'}>
    <label for=${id}
      >${options.label}${
        options.required ? html`<span class="required" aria-hidden="true"> *</span>` : nothing
      }</label
    >
    <input
      id=${id}
      name=${options.name ?? nothing}
      type=${options.type ?? nothing}
      autocomplete=${options.autocomplete ?? 'off'}
      autocapitalize=${options.autocapitalize ?? nothing}
      spellcheck=${options.spellcheck === false ? 'false' : nothing}
      maxlength=${options.maxlength ?? nothing}
      ?required=${options.required ?? false}
      aria-describedby=${describedBy ?? nothing}
      .value=${options.value === undefined ? noChange : live(options.value)}
      @input=${onInput ? (e: InputEvent) => onInput((e.target as HTMLInputElement).value) : nothing}
    />
    ${hint ? html`<p id=${`${id}-hint`} class="hint">${hint}</p>` : nothing}
  </div>`;
}

/** One choice in a `selectField`. */
export interface SelectOption {
  value: string;
  label: string;
}

/** One labelled select, as `selectField` renders it. */
export interface SelectFieldOptions {
  id: string;
  label: string;
  /** The form control's name, for a form that reads its controls by name. */
  name?: string;
  options: readonly SelectOption[];
  /** The value of the option shown as chosen. */
  value: string;
  /** The chosen value; without it the form around the select hears the change. */
  onChange?: (value: string) => void;
}

/** A `.field` with a label bound to its select, rendered into the calling element's own shadow root. */
export function selectField(options: SelectFieldOptions): TemplateResult {
  const { id, onChange, value } = options;
  return html`<div class="field">
    <label for=${id}>${options.label}</label>
    <select
      id=${id}
      name=${options.name ?? nothing}
      @change=${onChange ? (e: Event) => onChange((e.target as HTMLSelectElement).value) : nothing}
    >
      ${options.options.map(
        (option) =>
          html`<option value=${option.value} ?selected=${option.value === value}>${option.label}</option>`,
      )}
    </select>
  </div>`;
}
