// A real OpenID provider for the tests of federated sign-in, on the loopback address.
//
// Two instances of the certified `oidc-provider` (npm) in one process, each under its own
// path, as the portal meets them in life:
//   /cis2                CIS2-style: private_key_jwt (RS512, the portal's public key as a
//                        JWKS), PKCE, acr/amr, back-channel logout to the portal;
//   /<tenant>/v2.0       Entra-style: an issuer per tenant, client_secret_post, PKCE.
// Its own small login page lets a test choose who signs in (the subject), the email the
// provider vouches for, and whether one factor or two was used (amr).
//
// Test controls, under /__control/ (never in a real provider):
//   POST /__control/tamper?mode=issuer|audience|nonce|signature|expired
//        the next ID token from either provider is altered that way (and re-signed with
//        the provider's key, or with another key for "signature");
//   POST /__control/backchannel-logout?sub=...   CIS2 signs that subject out of the portal.
//
// Configuration: one JSON document in the OIDC_TEST_CONFIG environment variable:
//   {"port", "cis2": {client_id, jwks, redirect_uri, backchannel_logout_uri},
//    "entra": {client_id, client_secret, redirect_uri, tenant}}
// It prints "listening <port>" once it serves.
import http from 'node:http';
import { randomBytes } from 'node:crypto';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG);
const origin = `http://127.0.0.1:${config.port}`;

const signingKey = await jose.generateKeyPair('RS256', { extractable: true });
const signingJwk = {
  ...(await jose.exportJWK(signingKey.privateKey)),
  kid: 'test-provider-1',
  alg: 'RS256',
  use: 'sig',
};
const otherKey = await jose.generateKeyPair('RS256', { extractable: true });

// Who signed in, as the login page said: subject -> {email, amr}.
const accounts = new Map();
let tamper = '';

function providerFor(prefix, clients, cookiePrefix) {
  const provider = new Provider(`${origin}${prefix}`, {
    clients,
    jwks: { keys: [signingJwk] },
    cookies: {
      keys: [randomBytes(32).toString('hex')],
      names: {
        session: `${cookiePrefix}_session`,
        interaction: `${cookiePrefix}_interaction`,
        resume: `${cookiePrefix}_resume`,
      },
    },
    pkce: { required: () => true },
    conformIdTokenClaims: false,
    claims: {
      // CIS2's identity assurance level rides in the ID token (its nhsperson scope).
      openid: ['sub', 'acr', 'amr', 'auth_time', 'id_assurance_level'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    scopes: ['openid', 'email', 'profile', 'nhsperson'],
    acrValues: ['AAL3_ANY', 'AAL1_USERPASS'],
    enabledJWA: {
      clientAuthSigningAlgValues: ['RS256', 'RS512', 'PS256'],
    },
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
    },
    // The provider refuses to call loopback addresses by default (protection against
    // server-side request forgery); the portal under test is on one.
    fetch: (url, options) => {
      delete options.dispatcher;
      return globalThis.fetch(url, options);
    },
    interactions: {
      url: (ctx, interaction) => `${prefix}/interaction/${interaction.uid}`,
    },
    // No consent page: the portal is the provider's own registered application.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile nhsperson');
      await grant.save();
      return grant;
    },
    findAccount: async (ctx, id) => ({
      accountId: id,
      async claims() {
        const account = accounts.get(id) || {};
        // Level 3, as for an NHS smartcard holder, unless the login page said otherwise.
        const claims = { sub: id, name: `Person ${id}`, id_assurance_level: account.ial || '3' };
        if (account.email) {
          claims.email = account.email;
          claims.email_verified = true;
        }
        return claims;
      },
    }),
    ttl: { Session: 3600, Interaction: 600, AuthorizationCode: 60, IdToken: 3600 },
  });
  provider.on('server_error', (ctx, error) => console.error('server_error', error));
  return provider;
}

const cis2 = providerFor('/cis2', [{
  client_id: config.cis2.client_id,
  token_endpoint_auth_method: 'private_key_jwt',
  token_endpoint_auth_signing_alg: 'RS512',
  jwks: config.cis2.jwks,
  redirect_uris: [config.cis2.redirect_uri],
  backchannel_logout_uri: config.cis2.backchannel_logout_uri,
  backchannel_logout_session_required: false,
  grant_types: ['authorization_code'],
  response_types: ['code'],
}], 'cis2');

const entraPrefix = `/${config.entra.tenant}/v2.0`;
const entra = providerFor(entraPrefix, [{
  client_id: config.entra.client_id,
  client_secret: config.entra.client_secret,
  token_endpoint_auth_method: 'client_secret_post',
  redirect_uris: [config.entra.redirect_uri],
  grant_types: ['authorization_code'],
  response_types: ['code'],
}], 'entra');

const mounted = [['/cis2', cis2], [entraPrefix, entra]];

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(res, action, title) {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>
<form method="post" action="${escape(action)}">
<p><label for="login">Who you are (subject)</label> <input id="login" name="login" required></p>
<p><label for="email">Email address</label> <input id="email" name="email" type="email"></p>
<fieldset><legend>How you authenticated</legend>
<p><input type="radio" id="two" name="factors" value="two" checked> <label for="two">Smartcard and passcode (two factors)</label></p>
<p><input type="radio" id="one" name="factors" value="one"> <label for="one">Password only (one factor)</label></p>
</fieldset>
<button type="submit">Continue</button>
</form></main></body></html>`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

// Alter the ID token of a token response the way the test asked, once.
async function tampered(body) {
  const mode = tamper;
  tamper = '';
  const answer = JSON.parse(body);
  if (!answer.id_token) return body;
  const { payload } = await jose.jwtVerify(answer.id_token, signingKey.publicKey);
  const now = Math.floor(Date.now() / 1000);
  let key = signingKey.privateKey;
  if (mode === 'issuer') payload.iss = `${origin}/somebody-else`;
  if (mode === 'audience') payload.aud = 'another-application';
  if (mode === 'nonce') payload.nonce = 'not-the-nonce-the-portal-sent';
  if (mode === 'expired') { payload.iat = now - 7200; payload.exp = now - 3600; }
  if (mode === 'signature') key = otherKey.privateKey;
  answer.id_token = await new jose.SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: signingJwk.kid, typ: 'JWT' })
    .sign(key);
  return JSON.stringify(answer);
}

function interceptTokenResponse(res) {
  const chunks = [];
  const { write, end } = res;
  res.write = (chunk) => { chunks.push(Buffer.from(chunk)); return true; };
  res.end = (chunk, ...rest) => {
    if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk));
    const original = Buffer.concat(chunks).toString();
    tampered(original).then((body) => {
      res.write = write;
      res.end = end;
      res.setHeader('content-length', Buffer.byteLength(body));
      end.call(res, body);
    }).catch((error) => { console.error(error); end.call(res, original); });
  };
}

async function control(req, res, url) {
  if (url.pathname === '/__control/tamper') {
    tamper = url.searchParams.get('mode') || '';
    res.writeHead(204).end();
    return;
  }
  if (url.pathname === '/__control/backchannel-logout') {
    const client = await cis2.Client.find(config.cis2.client_id);
    try {
      await client.backchannelLogout(url.searchParams.get('sub'), undefined);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('delivered');
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(String(error.message));
    }
    return;
  }
  res.writeHead(404).end();
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, origin);
    if (url.pathname.startsWith('/__control/') && req.method === 'POST') {
      await control(req, res, url);
      return;
    }
    for (const [prefix, provider] of mounted) {
      if (!url.pathname.startsWith(`${prefix}/`)) continue;
      const rest = url.pathname.slice(prefix.length);
      const interaction = rest.match(/^\/interaction\/([\w-]+)(\/login)?$/);
      if (interaction && req.method === 'GET' && !interaction[2]) {
        await provider.interactionDetails(req, res);
        loginPage(res, `${prefix}/interaction/${interaction[1]}/login`, 'Sign in to the test provider');
        return;
      }
      if (interaction && req.method === 'POST' && interaction[2]) {
        const form = await readForm(req);
        const subject = (form.get('login') || '').trim();
        const twoFactors = form.get('factors') !== 'one';
        accounts.set(subject, {
          email: (form.get('email') || '').trim(),
          ial: (form.get('ial') || '').trim(),
        });
        await provider.interactionFinished(req, res, {
          login: {
            accountId: subject,
            acr: twoFactors ? 'AAL3_ANY' : 'AAL1_USERPASS',
            amr: twoFactors ? ['sc', 'pin'] : ['pwd'],
          },
        }, { mergeWithLastSubmission: false });
        return;
      }
      if (tamper && rest === '/token' && req.method === 'POST') interceptTokenResponse(res);
      req.originalUrl = req.url;
      req.url = req.url.slice(prefix.length);
      provider.callback()(req, res);
      return;
    }
    res.writeHead(404).end();
  } catch (error) {
    console.error(error);
    if (!res.headersSent) res.writeHead(500).end(String(error.message));
  }
});

server.listen(config.port, '127.0.0.1', () => {
  console.log(`listening ${config.port}`);
});
