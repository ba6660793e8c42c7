// A real OpenID Connect provider for the tests: the certified `oidc-provider` on loopback, with test users
// whose claims carry groups, its own login page, dynamic client registration and back-channel logout.
//
//   node tests/oidc/provider.mjs        prints "ready http://127.0.0.1:PORT" when it listens
//
// PLANNER_TEST_NOW (an ISO instant, see tests/helpers.child_env) puts the provider on the test's clock.
// Beside the provider, /test/* lets a test change a user's groups, disable a user (with a back-channel
// logout, as an administrator's "sign out everywhere" does) and spoil the next ID tokens the token endpoint
// hands out (signed again with the provider's own key, so that only the claim under test is wrong).
import crypto from 'node:crypto';
import http from 'node:http';

// The test's clock, before the provider is loaded: tokens, sessions and cookies all follow it.
if (process.env.PLANNER_TEST_NOW) {
  const RealDate = Date;
  const offset = RealDate.parse(process.env.PLANNER_TEST_NOW.replace(/(\.\d{3})\d+/, '$1')) - RealDate.now();
  globalThis.Date = class extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset); else super(...args);
    }

    static now() { return RealDate.now() + offset; }
  };
}
const { default: Provider, interactionPolicy } = await import('oidc-provider');

const PASSWORD = 'test-wachtwoord';
const USERS = {
  'fatima@ede.example': { name: 'Fatima el Amrani', groups: ['planner-adviseurs', 'org-gemeente-ede'] },
  'beheer@ede.example': { name: 'Bram Beheer', groups: ['planner-beheerders', 'org-gemeente-ede'] },
  'kees@ede.example': { name: 'Kees Koster', groups: ['planner-coordinatoren', 'org-gemeente-ede'] },
  'onbekend@ede.example': { name: 'Olga Onbekend', groups: ['salarisadministratie', 'org-gemeente-ede'] },
};
const initialUsers = JSON.stringify(USERS);
let accounts = JSON.parse(initialUsers);
const disabled = new Set();
let idTokenMode = '';

const subjectOf = (email) => crypto.createHash('sha256').update(email).digest('hex').slice(0, 24);
const emailOf = (sub) => Object.keys(accounts).find((email) => subjectOf(email) === sub);

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };

const html = (title, body) => `<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>${title}</title>
</head><body><h1>${title}</h1>${body}</body></html>`;
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const server = http.createServer();
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  jwks: { keys: [signingKey] },
  cookies: { keys: [crypto.randomBytes(16).toString('hex')] },
  // groups travel in the ID token as Microsoft Entra ID sends them, and in the userinfo answer
  claims: { openid: ['sub', 'groups'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    registration: { enabled: true },
    backchannelLogout: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = html('Afmelden bij de testprovider', `${form}
          <button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Ja, afmelden</button>
          <button type="submit" form="op.logoutForm">Nee, aangemeld blijven</button>`);
      },
      postLogoutSuccessSource: async (ctx) => { ctx.body = html('Afgemeld bij de testprovider', ''); },
    },
  },
  pkce: { required: () => true },
  // the provider refuses to call loopback addresses (against server-side request forgery); the planner under
  // test is on loopback, so its back-channel logouts go out without that guard
  fetch: (url, options) => globalThis.fetch(url, { ...options, dispatcher: undefined }),
  async findAccount(ctx, sub) {
    const email = emailOf(sub);
    if (!email) return undefined;
    return {
      accountId: sub,
      async claims() {
        const { name, groups } = accounts[email];
        return { sub, email, email_verified: true, name, groups };
      },
    };
  },
  async loadExistingGrant(ctx) {
    // the municipality's own applications need no consent screen
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
    await grant.save();
    return grant;
  },
  interactions: { policy: loginPolicy(), url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = html('Fout bij de testprovider', `<pre>${escape(JSON.stringify(out))}</pre>`);
  },
});

// A disabled account's session at the provider asks for a login again, which the login page then refuses.
function loginPolicy() {
  const { Check, base } = interactionPolicy;
  const policy = base();
  policy.get('login').checks.add(new Check('account_disabled', 'the account is disabled',
    (ctx) => (disabled.has(emailOf(ctx.oidc.session.accountId)) ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT)));
  return policy;
}

// Spoil the ID token of the token endpoint's answer when a test asks for it.
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (header, claims) => {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
};
function spoil(idToken, mode) {
  const [header, payload, signature] = idToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const now = Math.floor(Date.now() / 1000);
  const head = JSON.parse(Buffer.from(header, 'base64url').toString());
  switch (mode) {
    case 'tampered': // someone changed the claims on the way: the signature no longer fits
      return `${header}.${b64({ ...claims, groups: ['planner-beheerders'] })}.${signature}`;
    case 'expired':
      return sign(head, { ...claims, iat: now - 7200, exp: now - 3600 });
    case 'nonce':
      return sign(head, { ...claims, nonce: 'not-the-nonce-of-this-login' });
    case 'audience': // issued to another application (named as the authorized party, the planner still is not
      // the audience)
      return sign(head, { ...claims, aud: 'another-application', azp: claims.aud });
    case 'skewed': // the provider's clock runs 30 seconds ahead of ours: still accepted
      return sign(head, { ...claims, iat: now + 30, exp: now + 3630 });
    default:
      throw new Error(`unknown ID token mode ${mode}`);
  }
}
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && idTokenMode && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: spoil(ctx.body.id_token, idTokenMode) };
  }
});

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return req.headers['content-type']?.includes('json') ? JSON.parse(body || '{}')
    : Object.fromEntries(new URLSearchParams(body));
}

function send(res, status, body, type = 'text/html; charset=utf-8') {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

// The provider's login page: e-mail address and password of a test user.
async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  const loginForm = (message = '') => html('Inloggen bij de testprovider', `${message}
    <form method="post" action="/interaction/${uid}">
      <label for="login">Gebruikersnaam</label> <input id="login" name="login" type="email" required>
      <label for="password">Wachtwoord</label> <input id="password" name="password" type="password" required>
      <button type="submit">Aanmelden</button>
    </form>`);
  if (req.method === 'GET') return send(res, 200, loginForm());
  const { login, password } = await readForm(req);
  if (details.prompt.name !== 'login') {
    return provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
  }
  if (!accounts[login] || password !== PASSWORD || disabled.has(login)) {
    return send(res, 200, loginForm('<p role="alert">Onbekende gebruiker of verkeerd wachtwoord.</p>'));
  }
  return provider.interactionFinished(req, res, { login: { accountId: subjectOf(login) } },
    { mergeWithLastSubmission: false });
}

// What the tests change: a user's groups, a disabled user, spoiled ID tokens, back to the start.
async function control(req, res, path) {
  const body = await readForm(req);
  if (path === '/test/reset') {
    accounts = JSON.parse(initialUsers);
    disabled.clear();
    idTokenMode = '';
  } else if (path === '/test/id-token') {
    idTokenMode = body.mode || '';
  } else if (path === '/test/subject') {
    return send(res, 200, JSON.stringify({ sub: subjectOf(body.email) }), 'application/json');
  } else if (path === '/test/groups') {
    accounts[body.email].groups = body.groups;
  } else if (path === '/test/disable') {
    // as an administrator who disables an account and signs it out everywhere: every client that asked
    // for back-channel logout hears of it
    disabled.add(body.email);
    for (const clientId of body.clients || []) {
      const client = await provider.Client.find(clientId);
      if (client?.backchannelLogoutUri) await client.backchannelLogout(subjectOf(body.email));
    }
  } else {
    return send(res, 404, 'not found', 'text/plain');
  }
  return send(res, 200, '{}', 'application/json');
}

// The browser keeps the provider's cookies for the browser session: their expiry dates follow the test's
// clock, which the browser does not share. Deleted cookies (dated 1970) stay deleted.
function sessionCookies(res) {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name, value) => {
    if (name.toLowerCase() !== 'set-cookie') return setHeader(name, value);
    return setHeader(name, [].concat(value).map((cookie) => (/expires=Thu, 01 Jan 1970/i.test(cookie)
      ? cookie : cookie.replace(/;\s*expires=[^;]*/i, ''))));
  };
}

const callback = provider.callback();
server.on('request', async (req, res) => {
  sessionCookies(res);
  const { pathname } = new URL(req.url, issuer);
  try {
    const uid = pathname.match(/^\/interaction\/([\w-]+)$/)?.[1];
    if (uid) return await interaction(req, res, uid);
    if (pathname.startsWith('/test/') && req.method === 'POST') return await control(req, res, pathname);
    return callback(req, res);
  } catch (error) {
    console.error(error);
    return send(res, 500, html('Fout bij de testprovider', escape(error.message)));
  }
});
provider.on('backchannel.error', (ctx, error) => console.error('back-channel logout failed:', error.message));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
console.log(`ready ${issuer}`);
