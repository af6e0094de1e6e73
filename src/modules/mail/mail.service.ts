import nodemailer, { type Transporter } from 'nodemailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Config } from '../../config/config.js';
import { AppError } from '../../core/errors.js';

/** A mail ready to go: one recipient, a subject, a plain-text part and an HTML part. */
export interface OutgoingMail {
  to: string;
  locale: string;
  subject: string;
  text: string;
  html: string;
}

/** What is reported of a failed delivery: never the SMTP URL, never the message (it may hold a token). */
export interface MailFailure {
  code: string;
  message: string;
}

// One transport per SMTP URL, so connections and settings are built once.
const transports = new Map<string, Transporter>();

function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    // Short timeouts: a person waiting for a page learns within seconds that the server does not answer.
    transport = nodemailer.createTransport(new SMTPTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }));
    transports.set(smtpUrl, transport);
  }
  return transport;
}

/** True when an SMTP server is configured, so features that need mail can offer themselves. */
export function mailConfigured(config: Pick<Config, 'smtpUrl'>): boolean {
  return config.smtpUrl !== '';
}

/** The error for features that need mail on a Ruche that has no SMTP server configured. */
export function mailNotConfigured(): AppError {
  return new AppError(503, 'mail_not_configured', 'mail.not_configured');
}

/** Fails early, before any work, when mail cannot be sent. */
export function requireMail(config: Pick<Config, 'smtpUrl'>): void {
  if (!mailConfigured(config)) throw mailNotConfigured();
}

function failureOf(error: unknown): MailFailure {
  const e = error as { code?: string; responseCode?: number; message?: string };
  const code = e.code ?? (e.responseCode ? `SMTP ${e.responseCode}` : 'EMAIL');
  // nodemailer's messages name the server's answer or the network error, never the credentials.
  return { code, message: String(e.message ?? error).slice(0, 300) };
}

/** Raised when the SMTP server refused or could not be reached; `failure` says why, for the log and the operator. */
export class MailError extends AppError {
  constructor(readonly failure: MailFailure) {
    super(502, 'mail_failed', 'mail.send_failed', { reason: failure.code });
  }
}

/** Sends one mail through the configured SMTP server; a failure raises MailError (never swallowed). */
export async function sendMail(config: Pick<Config, 'smtpUrl' | 'mailFrom'>, mail: OutgoingMail): Promise<void> {
  requireMail(config);
  try {
    await transportFor(config.smtpUrl).sendMail({
      from: config.mailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: { 'Content-Language': mail.locale, 'Auto-Submitted': 'auto-generated' },
    });
  } catch (error) {
    throw new MailError(failureOf(error));
  }
}

const pending = new Set<Promise<void>>();

/** Runs work that ends in sending mail after the answer has gone; its failure goes to `report`, never swallowed. */
export function runInBackground(task: () => Promise<void>, report: (failure: MailFailure) => void): void {
  const work = task().catch((error: unknown) => report(error instanceof MailError ? error.failure : failureOf(error)));
  pending.add(work);
  void work.finally(() => pending.delete(work));
}

/** Waits for the mails still being sent (at shutdown, and in tests). */
export async function settleMail(): Promise<void> {
  while (pending.size) await Promise.allSettled([...pending]);
}

/** Closes the SMTP connections (at shutdown). */
export function closeMail(): void {
  for (const transport of transports.values()) transport.close();
  transports.clear();
  transports.clear();
}
