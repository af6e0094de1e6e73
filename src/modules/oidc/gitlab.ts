import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { AppContext } from '../../http/context.js';
import { claimsForClient } from './provider.js';

/** The path of the GitLab-compatible user endpoint (Mattermost Team Edition speaks only GitLab's protocol). */
export const GITLAB_USER_PATH = '/api/v4/user';

/** GitLab's `GET /api/v4/user` for an OIDC access token: numeric id, username, email and name; 401 otherwise. */
export async function gitlabUser(ctx: AppContext, provider: Provider, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  reply.header('cache-control', 'no-store');
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  const token = match ? await provider.AccessToken.find(match[1]) : undefined;
  const claims = token && !token.isExpired && token.accountId ? await claimsForClient(ctx, token.accountId, token.clientId) : null;
  if (!claims) return reply.status(401).header('www-authenticate', 'Bearer').send({ message: '401 Unauthorized' });
  return reply.send({
    id: Number(claims.sub),
    username: claims.preferred_username,
    login: claims.preferred_username,
    email: claims.email ?? '',
    name: claims.name,
    state: 'active',
  });
}
