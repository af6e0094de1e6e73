// A real SMTP server (smtp-server) on 127.0.0.1, keeping every message it receives, with a small MIME reader for tests.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One received message: envelope, decoded headers and its plain-text and HTML parts. */
export interface ReceivedMail {
  from: string;
  to: string[];
  user: string | undefined;
  raw: string;
  headers: Map<string, string>;
  subject: string;
  text: string;
  html: string;
}

/** Decodes quoted-printable into UTF-8 text. */
export function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

// RFC 2047 encoded words in headers (=?UTF-8?Q?...?= and =?UTF-8?B?...?=).
function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=\s*(?==\?)?/gi, (_w, _charset, kind: string, text: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')));
}

function splitHeaders(raw: string): [Map<string, string>, string] {
  const end = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, end).replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return [headers, raw.slice(end).replace(/^\r?\n\r?\n/, '')];
}

function decodeBody(headers: Map<string, string>, body: string): string {
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

// Walks a (possibly multipart) entity, filling the text and HTML parts.
function walk(raw: string, found: { text: string; html: string }): Map<string, string> {
  const [headers, body] = splitHeaders(raw);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.startsWith('multipart/') && boundary) {
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) if (!part.startsWith('--')) walk(part.replace(/^\r?\n/, ''), found);
  } else if (type.startsWith('text/html')) {
    found.html = decodeBody(headers, body);
  } else if (type.startsWith('text/plain')) {
    found.text = decodeBody(headers, body);
  }
  return headers;
}

/** Reads a raw message into its headers and parts. */
export function parseMail(raw: string, envelope: { from: string; to: string[]; user?: string }): ReceivedMail {
  const found = { text: '', html: '' };
  const headers = walk(raw, found);
  return { ...envelope, user: envelope.user, raw, headers, subject: headers.get('subject') ?? '', ...found };
}

/** The running test SMTP server. */
export interface TestSmtp {
  /** The smtp:// URL to give Ruche (with the accepted credentials). */
  url: string;
  mails: ReceivedMail[];
  /** Waits until at least `count` messages have arrived (5 s at most), and returns them. */
  waitFor(count: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/** Starts an SMTP server on a free loopback port that accepts the given credentials (plain AUTH, no TLS). */
export async function startSmtp(credentials = { user: 'ruche', pass: 's3cret-smtp-pass' }): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.pass) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
        };
        mails.push(parseMail(Buffer.concat(chunks).toString('utf8'), envelope));
        for (const wake of waiters.splice(0)) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${credentials.user}:${encodeURIComponent(credentials.pass)}@127.0.0.1:${port}`,
    mails,
    async waitFor(count) {
      const deadline = Date.now() + 5000;
      while (mails.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} mails, got ${mails.length}`);
        await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 100); });
      }
      return mails;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The path of the first link to Ruche in a mail's text part (e.g. /password-reset/TOKEN). */
export function linkIn(mail: ReceivedMail, publicUrl: string): string {
  const escaped = publicUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}(/[^\\s]+)`).exec(mail.text);
  if (!match) throw new Error(`no link to ${publicUrl} in:\n${mail.text}`);
  return match[1];
}
