// HTML of the import pages: the upload form, and the mapping page with preview, counts, errors and warnings.
import type { FastifyRequest } from 'fastify';
import type { MessageKey, Translate } from '../../i18n/index.js';
import { csrfField } from '../../views/form.js';
import { html, type SafeHtml } from '../../views/html.js';
import { IMPORT_FIELDS, type ImportField } from './exchange.schema.js';
import { PREVIEW_ROWS, type ReadImport } from './import.read.js';
import type { ImportIssue, ImportResult, PreviewRow } from './import.service.js';

/** The reading choices as the forms send them back (`auto`, `;`, `,`, `tab`; `auto`, `utf-8`, `windows-1252`). */
export interface ReadChoice {
  delimiter: string;
  encoding: string;
}

const MAX_ISSUES = 200;

function delimiterName(t: Translate, delimiter: string): string {
  const names: Record<string, MessageKey> = { ';': 'exchange.delimiter.semicolon', ',': 'exchange.delimiter.comma', '\t': 'exchange.delimiter.tab', '|': 'exchange.delimiter.pipe' };
  return names[delimiter] ? t(names[delimiter]) : delimiter;
}

function options(pairs: [string, string][], current: string): SafeHtml {
  return html`${pairs.map(([value, label]) => html`<option value="${value}"${value === current ? html` selected` : ''}>${label}</option>`)}`;
}

function readingSelects(t: Translate, choice: ReadChoice): SafeHtml {
  const delimiters: [string, string][] = [['auto', t('exchange.delimiter.auto')], [';', t('exchange.delimiter.semicolon')], [',', t('exchange.delimiter.comma')], ['tab', t('exchange.delimiter.tab')]];
  const encodings: [string, string][] = [['auto', t('exchange.encoding.auto')], ['utf-8', 'UTF-8'], ['windows-1252', 'Windows-1252 (Latin-1)']];
  return html`<label for="f-delimiter">${t('exchange.delimiter')}</label><select id="f-delimiter" name="delimiter">${options(delimiters, choice.delimiter)}</select>
<label for="f-encoding">${t('exchange.encoding')}</label><select id="f-encoding" name="encoding">${options(encodings, choice.encoding)}</select>`;
}

/** The upload form (step 1), with the message of a refused file. */
export function uploadPage(request: FastifyRequest, choice: ReadChoice, error?: string) {
  const t = request.t;
  return {
    title: t('exchange.import_title'),
    body: html`<h1>${t('exchange.import_title')}</h1><p>${t('exchange.import_intro')}</p>
${error ? html`<p class="errors" role="alert">${error}</p>` : ''}
<form method="post" action="/people/import" enctype="multipart/form-data">${csrfField(request)}
<label for="f-file">${t('exchange.file')} <span class="hint">${t('exchange.file_hint')}</span></label>
<input type="file" id="f-file" name="file" accept=".csv,.txt,text/csv,text/plain" required autofocus>
${readingSelects(t, choice)}
<div class="actions"><button>${t('exchange.upload')}</button><a class="button secondary" href="/people">${t('form.cancel')}</a></div></form>`,
  };
}

function rereadForm(t: Translate, action: string, choice: ReadChoice): SafeHtml {
  return html`<form method="get" action="${action}"><p>${t('exchange.reread_hint')}</p>${readingSelects(t, choice)}
<div class="actions"><button class="secondary">${t('exchange.reread')}</button></div></form>`;
}

/** The page of an upload that cannot be read with the chosen delimiter or encoding: the error and the reading choices. */
export function rereadPage(request: FastifyRequest, uploadId: string, choice: ReadChoice, error: string) {
  const t = request.t;
  return {
    title: t('exchange.import_title'),
    body: html`<h1>${t('exchange.import_title')}</h1><p class="errors" role="alert">${error}</p>${rereadForm(t, `/people/import/${uploadId}`, choice)}
<p><a href="/people/import">${t('exchange.import_title')}</a></p>`,
  };
}

/** What the mapping page shows: the file as read, the reading and column choices, and a result or an error. */
export interface ImportPageData {
  uploadId: string;
  read: ReadImport;
  choice: ReadChoice;
  result?: ImportResult;
  error?: string;
}

/** The mapping page (step 2): detected encoding and delimiter, one select per column, preview, check and import buttons. */
export function importPage(request: FastifyRequest, data: ImportPageData) {
  const t = request.t;
  const { read, result } = data;
  const action = `/people/import/${data.uploadId}`;
  const detected = t('exchange.detected', { rows: read.rows.length, encoding: read.encoding.toUpperCase(), delimiter: delimiterName(t, read.delimiter) });
  return {
    title: t('exchange.import_title'),
    body: html`<h1>${t('exchange.import_title')}</h1><p>${detected}</p>
<details><summary>${t('exchange.reread')}</summary>${rereadForm(t, action, data.choice)}</details>
${data.error ? html`<p class="errors" role="alert">${data.error}</p>` : ''}${result ? resultSection(t, result) : ''}
<form method="post" action="${action}">${csrfField(request)}
<input type="hidden" name="delimiter" value="${data.choice.delimiter}"><input type="hidden" name="encoding" value="${data.choice.encoding}">
<h2>${t('exchange.mapping')}</h2><p>${t('exchange.mapping_intro')}</p>${mappingTable(t, read)}
<h2>${t('exchange.preview')}</h2>${previewTable(t, result ? result.preview : read.rows.slice(0, PREVIEW_ROWS).map((r) => ({ line: r.line, values: r.input })))}
<div class="actions"><button name="action" value="dry_run" class="secondary">${t('exchange.dry_run')}</button><button name="action" value="import">${t('exchange.import')}</button>
<a class="button secondary" href="/people">${t('form.cancel')}</a></div></form>`,
  };
}

function fieldOptions(t: Translate, current: ImportField): SafeHtml {
  return options(IMPORT_FIELDS.map((f): [string, string] => [f, t(`exchange.field.${f}` as MessageKey)]), current);
}

function mappingTable(t: Translate, read: ReadImport): SafeHtml {
  return html`<table class="responsive"><thead><tr><th>${t('exchange.column')}</th><th>${t('exchange.field')}</th><th>${t('exchange.sample')}</th></tr></thead><tbody>
${read.headers.map((header, i) => html`<tr><td><label for="map-${i}">${header}</label></td>
<td><select id="map-${i}" name="map_${i}">${fieldOptions(t, read.fields[i])}</select></td><td class="muted">${read.samples[i].join(' · ')}</td></tr>`)}
</tbody></table>`;
}

const PREVIEW_FIELDS: [MessageKey, (v: Record<string, unknown>) => unknown][] = [
  ['exchange.field.display_name', (v) => v.display_name], ['exchange.field.sort_name', (v) => v.sort_name],
  ['exchange.field.emails', (v) => v.emails], ['exchange.field.phone', (v) => v.phone],
  ['exchange.address', (v) => [v.street, [v.postal_code, v.city].filter(Boolean).join(' '), v.country].filter(Boolean).join(', ')],
  ['exchange.field.language', (v) => v.language], ['exchange.field.joined_on', (v) => v.joined_on], ['exchange.field.tags', (v) => v.tags],
];

function previewTable(t: Translate, rows: (Omit<PreviewRow, 'status'> & { status?: PreviewRow['status'] })[]): SafeHtml {
  const withStatus = rows.some((r) => r.status);
  return html`<table class="responsive"><thead><tr><th>${t('exchange.line')}</th>${withStatus ? html`<th>${t('exchange.status')}</th>` : ''}${PREVIEW_FIELDS.map(([label]) => html`<th>${t(label)}</th>`)}</tr></thead><tbody>
${rows.map((row) => html`<tr><td>${row.line}</td>${withStatus ? html`<td>${row.status ? t(`exchange.status.${row.status}` as MessageKey) : ''}</td>` : ''}${PREVIEW_FIELDS.map(([, get]) => html`<td>${String(get(row.values) ?? '')}</td>`)}</tr>`)}
</tbody></table>`;
}

function resultSection(t: Translate, result: ImportResult): SafeHtml {
  const counts = t('exchange.counts', { total: result.total, created: result.created, unchanged: result.unchanged, errors: result.errors.length, warnings: result.warnings.length });
  const failed = result.errors.length > 0;
  return html`<div class="${failed ? 'errors' : 'flash'}" role="${failed ? 'alert' : 'status'}"><p>${counts}</p><p>${failed ? t('exchange.failed') : t('exchange.dry_run_ok')}</p></div>
${failed ? issueTable(t, 'exchange.errors', result.errors) : ''}${result.warnings.length ? issueTable(t, 'exchange.warnings', result.warnings) : ''}`;
}

function issueTable(t: Translate, title: MessageKey, issues: ImportIssue[]): SafeHtml {
  const shown = issues.slice(0, MAX_ISSUES);
  return html`<h2>${t(title)}</h2><table class="responsive"><thead><tr><th>${t('exchange.line')}</th><th>${t('exchange.column')}</th><th>${t('exchange.value')}</th><th>${t('exchange.message')}</th></tr></thead><tbody>
${shown.map((i) => html`<tr><td>${i.line}</td><td>${i.column ?? ''}</td><td>${i.value ?? ''}</td><td>${t(i.key, i.params)}</td></tr>`)}
</tbody></table>${issues.length > shown.length ? html`<p class="muted">${t('exchange.more', { count: issues.length - shown.length })}</p>` : ''}`;
}
