// A real OpenID Provider (the certified `oidc-provider` package) for the SSO tests, on loopback.
//
// Run: node provider.mjs CONFIG.json   (the test fixture writes CONFIG and reads our stdout)
// CONFIG: {"port": 0, "clients": [{client_id, client_secret, redirect_uris}],
//          "accounts": {"alice": {"email": ..., "email_verified": true, "name": ..., "groups": [...]}}}
// Prints one line `listening http://127.0.0.1:PORT` once it serves.
//
// Sign-in is oidc-provider's development login form (devInteractions): any account name in
// CONFIG.accounts with any password. Consent is granted for the test clients, so the flow is
// login form -> back to the relying party.
//
// For the tests of refusals, POST /_test/tamper {"mode": ...} makes the next token response's
// ID token wrong in one way (the provider's own key re-signs it, so only that check can fail):
// "signature" (a byte of the signature changed), "audience", "issuer", "nonce", "expired".
// "" turns it off. It is loopback-only test machinery, never part of the app.
import { readFileSync } from 'node:fs';
import { generateKeyPair, exportJWK, importJWK, SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
const signingKey = await importJWK(jwk, 'RS256');

const accounts = config.accounts;

async function findAccount(ctx, id) {
  const account = accounts[id];
  if (!account) return undefined;
  return {
    accountId: id,
    async claims() {
      return { sub: id, ...account };
    },
  };
}

let tamper = '';

const server = (await import('node:http')).createServer();
await new Promise((resolve) => server.listen(config.port ?? 0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: config.clients.map((c) => ({
    grant_types: ['authorization_code'], response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic', ...c,
  })),
  jwks: { keys: [jwk] },
  findAccount,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'groups'],
  },
  // why: put the scopes' claims in the ID token, which is all the relying party reads
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  // why: no consent screen for the test clients; the grant covers what they ask
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  ttl: { IdToken: 3600 },
});

async function tampered(idToken) {
  if (tamper === 'signature') {
    const [head, body, signature] = idToken.split('.');
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    return [head, body, flipped].join('.');
  }
  const claims = decodeJwt(idToken);
  const header = decodeProtectedHeader(idToken);
  if (tamper === 'audience') claims.aud = 'someone-else';
  if (tamper === 'issuer') claims.iss = 'http://127.0.0.1:1/';
  if (tamper === 'nonce') claims.nonce = 'not-the-nonce';
  if (tamper === 'expired') { claims.iat -= 7200; claims.exp = claims.iat + 60; }
  return new SignJWT(claims).setProtectedHeader(header).sign(signingKey);
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/_test/tamper' && ctx.method === 'POST') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    tamper = JSON.parse(Buffer.concat(chunks).toString() || '{}').mode || '';
    ctx.body = { mode: tamper };
    return;
  }
  await next();
  if (ctx.path === '/token' && tamper && ctx.status === 200 && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await tampered(ctx.body.id_token) };
    tamper = '';
  }
});

server.on('request', provider.callback());
process.stdout.write(`listening ${issuer}\n`);
