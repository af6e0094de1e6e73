import { html } from '../../views/html.js';
import type { OutgoingMail } from './mail.service.js';

/** What a mail says, already translated: a greeting, paragraphs, an optional link to follow, and the paragraphs after it. */
export interface MailContent {
  to: string;
  locale: string;
  subject: string;
  greeting: string;
  before: string[];
  action?: { label: string; url: string };
  after: string[];
  signature: string;
}

function textPart(c: MailContent): string {
  const blocks = [c.greeting, ...c.before];
  if (c.action) blocks.push(`${c.action.label}:\n${c.action.url}`);
  blocks.push(...c.after, `-- \n${c.signature}`);
  return `${blocks.join('\n\n')}\n`;
}

// Every value goes through the escaping template: a name such as "<b>Eve</b>" stays text.
function htmlPart(c: MailContent): string {
  const paragraph = (text: string) => html`<p>${text}</p>`;
  const action = c.action
    ? html`<p><a href="${c.action.url}" style="display:inline-block;padding:.5em 1em;background:#7a4b00;color:#fff;text-decoration:none;border-radius:4px">${c.action.label}</a></p>
<p style="font-size:90%;color:#555">${c.action.url}</p>`
    : '';
  return html`<!doctype html>
<html lang="${c.locale}"><head><meta charset="utf-8"><title>${c.subject}</title></head>
<body style="font-family:sans-serif;line-height:1.5;max-width:40em">
${paragraph(c.greeting)}${c.before.map(paragraph)}${action}${c.after.map(paragraph)}
<p style="color:#555">-- <br>${c.signature}</p>
</body></html>
`.value;
}

/** Builds a mail's plain-text and HTML parts from the same translated content. */
export function renderMail(content: MailContent): OutgoingMail {
  return { to: content.to, locale: content.locale, subject: content.subject, text: textPart(content), html: htmlPart(content) };
}
