// The ceiling of a login flow on this machine (started by bench/sso.js): oidc-provider alone, as its own quick start
// runs it (state in the library's memory, one client, one RS256 key), behind a bare login form that checks the
// password with Ruche's argon2id parameters. No database, no session, no CSRF, no audit, no groups: what is left of a
// flow when an application adds nothing to the library and the hash. Never a way to run Ruche.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import { hash, verify } from '@node-rs/argon2';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const { client_id: clientId, client_secret: clientSecret, redirect_uri: redirectUri, password } = JSON.parse(process.env.CEILING_CLIENT);
const issuer = `http://127.0.0.1:${port}/oidc`;
const key = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'ceiling', use: 'sig', alg: 'RS256' };
const passwordHash = await hash(password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
const CLAIMS = ['sub', 'name', 'preferred_username', 'email', 'email_verified', 'groups'];

const provider = new Provider(issuer, {
  clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code', 'refresh_token'] }],
  jwks: { keys: [key] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  features: { devInteractions: { enabled: false } },
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'], groups: ['groups'] },
  conformIdTokenClaims: false,
  ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600, RefreshToken: 3600 },
  interactions: { url: (_ctx, interaction) => `/login?uid=${interaction.uid}` },
  findAccount: (_ctx, id) => ({
    accountId: id,
    claims: () => ({ sub: id, name: id, preferred_username: id, email: `${id}@example.org`, email_verified: true, groups: ['members'] }),
  }),
  // First-party: every login is granted what it asks, as Ruche does for the collective's own apps.
  async loadExistingGrant(ctx) {
    const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope([...(ctx.oidc.requestParamScopes ?? ['openid'])].join(' '));
    grant.addOIDCClaims(CLAIMS);
    await grant.save();
    return grant;
  },
});
const oidc = provider.callback();

function formOf(request) {
  return new Promise((done) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => done(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
  });
}

async function login(request, response) {
  const form = await formOf(request);
  if (!(await verify(passwordHash, form.get('password') ?? ''))) {
    response.writeHead(403).end('wrong password');
    return;
  }
  await provider.interactionFinished(request, response, { login: { accountId: form.get('login') } });
}

http.createServer((request, response) => {
  const url = new URL(request.url, issuer);
  if (url.pathname === '/healthz') return response.end('ok');
  if (url.pathname.startsWith('/oidc')) {
    request.originalUrl = request.url; // the library builds its own links from the mounted path
    request.url = request.url.slice('/oidc'.length) || '/';
    return oidc(request, response);
  }
  if (url.pathname === '/login' && request.method === 'GET') {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    return response.end(`<form method="post" action="/login"><input type="hidden" name="_csrf" value="-"><input type="hidden" name="next" value="${url.searchParams.get('uid')}"><input name="login"><input name="password" type="password"></form>`);
  }
  if (url.pathname === '/login' && request.method === 'POST') return login(request, response).catch(() => response.writeHead(400).end());
  response.writeHead(404).end();
}).listen(port, '127.0.0.1');
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(0));
