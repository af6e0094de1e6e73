import type { FastifyRequest } from 'fastify';
import type { FieldErrors } from '../core/errors.js';
import type { MessageKey, Translate } from '../i18n/index.js';
import { html, type SafeHtml } from './html.js';

/** Submitted values and their errors, so a form re-renders with what the user typed. */
export interface FormState {
  values: Record<string, unknown>;
  errors: FieldErrors;
}

/** An empty form, or one pre-filled with values. */
export function formState(values: Record<string, unknown> = {}, errors: FieldErrors = {}): FormState {
  return { values, errors };
}

interface FieldOptions {
  name: string;
  label: MessageKey;
  type?: string;
  required?: boolean;
  hint?: string;
  autofocus?: boolean;
  autocomplete?: string;
  inputmode?: string;
}

function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? '' : String(v))).join(', ');
  return String(value);
}

function wrap(t: Translate, state: FormState, o: FieldOptions, control: SafeHtml): SafeHtml {
  const error = state.errors[o.name];
  return html`<div class="field${error ? ' field-error' : ''}"><label for="f-${o.name}">${t(o.label)}${o.hint ? html` <span class="hint">${o.hint}</span>` : ''}</label>
${control}${error ? html`<p class="error" id="e-${o.name}">${t(error)}</p>` : ''}</div>`;
}

function common(state: FormState, o: FieldOptions): SafeHtml {
  return html`id="f-${o.name}" name="${o.name}"${o.required ? html` required` : ''}${o.autofocus ? html` autofocus` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${state.errors[o.name] ? html` aria-invalid="true" aria-describedby="e-${o.name}"` : ''}`;
}

/** A labelled input showing its submitted value and its error. */
export function inputField(t: Translate, state: FormState, o: FieldOptions): SafeHtml {
  const value = o.type === 'password' ? '' : display(state.values[o.name]);
  return wrap(t, state, o, html`<input type="${o.type ?? 'text'}" ${common(state, o)} value="${value}"${o.inputmode ? html` inputmode="${o.inputmode}"` : ''}>`);
}

/** A labelled textarea. */
export function textareaField(t: Translate, state: FormState, o: FieldOptions): SafeHtml {
  const value = state.values[o.name];
  const text = Array.isArray(value) ? value.join('\n') : display(value);
  return wrap(t, state, o, html`<textarea ${common(state, o)}>${text}</textarea>`);
}

/** A labelled select from [value, label] pairs. */
export function selectField(t: Translate, state: FormState, o: FieldOptions, options: [string, string][]): SafeHtml {
  const current = display(state.values[o.name]);
  return wrap(t, state, o, html`<select ${common(state, o)}>${options.map(([value, label]) => html`<option value="${value}"${value === current ? html` selected` : ''}>${label}</option>`)}</select>`);
}

/** A labelled checkbox. */
export function checkboxField(t: Translate, state: FormState, o: FieldOptions): SafeHtml {
  const v = state.values[o.name];
  const checked = v === true || v === 'on' || v === 1 || v === '1';
  const error = state.errors[o.name];
  return html`<div class="field"><label><input type="checkbox" name="${o.name}" value="on"${checked ? html` checked` : ''}> ${t(o.label)}</label>${error ? html`<p class="error">${t(error)}</p>` : ''}</div>`;
}

/** The hidden CSRF field every form carries. */
export function csrfField(request: FastifyRequest): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${request.csrfToken}">`;
}

/** The message above a form that has errors. */
export function errorSummary(t: Translate, state: FormState): SafeHtml {
  return Object.keys(state.errors).length ? html`<p class="errors" role="alert">${t('form.errors')}${state.errors._ ? html` ${t(state.errors._)}` : ''}</p>` : html``;
}

/** A POST form with only a button (delete, restore, logout...), carrying the CSRF token. */
export function buttonForm(request: FastifyRequest, action: string, label: string, className = 'secondary'): SafeHtml {
  return html`<form method="post" action="${action}">${csrfField(request)}<button class="${className}">${label}</button></form>`;
}
