import type { FastifyReply } from 'fastify';

// Origins a page's forms may end up at through redirects (Chromium checks form-action on every redirect of a submission).
const formTargets = new WeakMap<FastifyReply, Set<string>>();

/**
 * Lets the forms of this page lead, through redirects, to another origin: a login that continues to an app's
 * redirect URI (the login form, the second step, the consent page). Every other page keeps `form-action 'self'`.
 */
export function allowFormRedirectTo(reply: FastifyReply, origin: string): void {
  const targets = formTargets.get(reply) ?? new Set<string>();
  targets.add(origin);
  formTargets.set(reply, targets);
}

/** The Content-Security-Policy of a Ruche answer: same-origin everything, forms to Ruche plus the origins allowed above. */
export function contentSecurityPolicy(reply: FastifyReply): string {
  const formAction = ["'self'", ...(formTargets.get(reply) ?? [])].join(' ');
  return `default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
}
