import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../core/actor.js';
import { notFound, unauthorized } from '../core/errors.js';
import { actorOf } from '../modules/accounts/principal.js';

const idParam = z.coerce.number().int().positive().max(2 ** 31 - 1);

/** A numeric id from the route's path, or a 404 for anything that is not one. */
export function idParamOf(request: FastifyRequest, name = 'id'): number {
  const parsed = idParam.safeParse((request.params as Record<string, string | undefined>)[name]);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

/** The audit actor of an authenticated request. */
export function requestActor(request: FastifyRequest): Actor {
  if (!request.principal) throw unauthorized();
  return actorOf(request.principal);
}
