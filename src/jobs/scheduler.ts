import type { FastifyBaseLogger } from 'fastify';
import { SYSTEM } from '../core/actor.js';
import type { AppContext } from '../http/context.js';
import { purgeStaleMailTokens } from '../modules/account-mail/password-reset.service.js';
import { purgeExpiredSessions } from '../modules/accounts/accounts.service.js';
import { purgeOidcLeftovers } from '../modules/oidc/oidc.service.js';
import { purgeDeletedPeople } from '../modules/people/people.service.js';
import { purgeStaleUploads } from '../modules/people-exchange/exchange.service.js';
import { purgeLoginThrottles } from '../modules/security/login-guard.js';
import { purgeExpiredChallenges } from '../modules/two-factor/challenge.service.js';
import { inTransaction } from '../storage/database.js';

const HOUR = 3_600_000;

/** Housekeeping run at start and every hour: purge people deleted over 30 days ago, drop expired sessions, stale login counters, mailed links, day-old uploads, expired OIDC tokens and retired signing keys. */
export async function runHousekeeping(ctx: AppContext): Promise<{ purged: number }> {
  const purged = await inTransaction(ctx.db, (trx) => purgeDeletedPeople(trx, SYSTEM));
  await purgeExpiredSessions(ctx.db);
  await purgeStaleMailTokens(ctx.db);
  await purgeStaleUploads(ctx.db);
  await purgeLoginThrottles(ctx.db);
  await purgeExpiredChallenges(ctx.db);
  await purgeOidcLeftovers(ctx.db);
  return { purged };
}

/** Starts the hourly scheduler; returns a function that stops it. */
export function startScheduler(ctx: AppContext, log: FastifyBaseLogger): () => void {
  const tick = () => {
    runHousekeeping(ctx).then(
      ({ purged }) => { if (purged) log.info({ purged }, 'purged deleted people'); },
      (error: unknown) => log.error({ err: error }, 'housekeeping failed'),
    );
  };
  tick();
  const timer = setInterval(tick, HOUR);
  timer.unref();
  return () => clearInterval(timer);
}
