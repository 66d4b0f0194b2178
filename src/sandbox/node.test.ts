import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {importJWK, SignJWT} from 'jose';
import type {Catalog} from './catalog';
import {setTimeout as sleep} from 'node:timers/promises';
import {describeSandbox, startNodeSandbox, sweepPeriodically, type NodeSandbox} from './node';
import {createMemoryStore} from './store/memory';
import {createTestBrowser} from './testing';

let sandbox: NodeSandbox;
before(async () => {
  sandbox = await startNodeSandbox({port: 0});
});
after(() => sandbox.close());

test('Node transport: serves discovery at http://localhost:<port>/sandbox', async () => {
  assert.match(sandbox.issuer, /^http:\/\/localhost:\d+\/sandbox$/);
  const metadata = (await (await fetch(`${sandbox.issuer}/.well-known/openid-configuration`)).json()) as {
    issuer: string;
    token_endpoint: string;
  };
  assert.equal(metadata.issuer, sandbox.issuer);
  assert.equal(metadata.token_endpoint, `${sandbox.issuer}/token`);
});

test('Node transport: CORS allows the docs dev server and other localhost origins only', async () => {
  const fromDocs = await fetch(`${sandbox.issuer}/catalog`, {headers: {origin: 'http://localhost:3000'}});
  assert.equal(fromDocs.headers.get('access-control-allow-origin'), 'http://localhost:3000');
  const fromOtherPort = await fetch(`${sandbox.issuer}/catalog`, {headers: {origin: 'http://127.0.0.1:5173'}});
  assert.equal(fromOtherPort.headers.get('access-control-allow-origin'), 'http://127.0.0.1:5173');
  const fromElsewhere = await fetch(`${sandbox.issuer}/catalog`, {headers: {origin: 'https://evil.test'}});
  assert.equal(fromElsewhere.headers.get('access-control-allow-origin'), null);
});

test("Node transport: the spa client's redirect URIs point at the docs dev server", async () => {
  const catalog = (await (await fetch(`${sandbox.issuer}/catalog`)).json()) as {
    clients: {client_id: string; redirect_uris: string[]}[];
  };
  assert.equal(
    catalog.clients.find((client) => client.client_id === 'spa')!.redirect_uris[0],
    'http://localhost:3000/flows/authorization-code-pkce',
  );
});

test('Node transport: login sets an HttpOnly session cookie scoped to the issuer path', async () => {
  const redirect = 'http://localhost:3000/flows/authorization-code-pkce';
  const start = await fetch(
    `${sandbox.issuer}/authorize?client_id=spa&response_type=code&redirect_uri=${encodeURIComponent(redirect)}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256`,
    {redirect: 'manual'},
  );
  const loginUrl = start.headers.get('location')!;
  const page = await (await fetch(loginUrl)).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
  const login = await fetch(loginUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({csrf, username: 'alice', password: 'wonderland-42'}),
  });
  assert.equal(login.status, 303);
  const cookie = login.headers.get('set-cookie')!;
  assert.match(cookie, /^sandbox_session=[\w-]+;/);
  assert.match(cookie, /Path=\/sandbox/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
});

test('Node transport: both demo web apps complete a sign-in beside the sandbox, over HTTP with cookies', async () => {
  const browser = createTestBrowser((request) => fetch(request), sandbox.issuer);
  // Authorization Code: the app's server redeems the code; the browser lands on the app's page.
  const webApp = `${sandbox.issuer}/webapp`;
  const code = await browser.authorize(`${webApp}/login`, {username: 'alice', password: 'wonderland-42'});
  assert.equal(code.callbackUrl?.href.split('?')[0], `${webApp}/callback`);
  const landed = await browser.request(code.callbackUrl.href);
  assert.equal(landed.status, 303, await landed.clone().text());
  assert.equal(landed.headers.get('location'), webApp);
  assert.match(await (await browser.request(webApp)).text(), /Signed in as Alice Liddell/);
  const webAppReport = (await (await browser.request(`${webApp}/back-channel`)).json()) as {
    exchanges: {request: {url: string}}[];
  };
  assert.deepEqual(
    webAppReport.exchanges.map((exchange) => exchange.request.url),
    [`${sandbox.issuer}/.well-known/openid-configuration`, `${sandbox.issuer}/token`],
  );

  // Implicit with form_post: the sandbox's page posts the ID token to the app's server.
  const formPostApp = `${sandbox.issuer}/webapp/form-post`;
  const {formPost} = await browser.authorize(`${formPostApp}/login`, {username: 'alice', password: 'wonderland-42'});
  assert.equal(formPost?.action, `${formPostApp}/callback`);
  const posted = await browser.request(formPost.action, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: formPost.fields.toString(),
  });
  assert.equal(posted.status, 303, await posted.clone().text());
  assert.match(await (await browser.request(formPostApp)).text(), /Signed in as Alice Liddell/);
  assert.ok(
    browser.cookies.has('webapp_session') && browser.cookies.has('form_post_app_session'),
    'each app keeps its own session cookie',
  );
});

test('Node transport: --site-url decides the spa and native-app page redirect URIs', async () => {
  const other = await startNodeSandbox({port: 0, siteUrl: 'http://localhost:5173'});
  try {
    assert.equal(other.siteUrl, 'http://localhost:5173/');
    const catalog = (await (await fetch(`${other.issuer}/catalog`)).json()) as Catalog;
    const redirects = (id: string) => catalog.clients.find((client) => client.client_id === id)!.redirect_uris;
    assert.equal(redirects('spa')[0], 'http://localhost:5173/flows/authorization-code-pkce');
    assert.ok(redirects('native-app').includes('http://localhost:5173/flows/native-apps'));
    // The demo web apps stay under the issuer, whatever the site.
    assert.deepEqual(redirects('regular-web-app'), [`${other.issuer}/webapp/callback`]);
    const printed = describeSandbox(other.issuer, catalog);
    assert.match(printed, new RegExp(`Discovery: +${other.issuer}/\\.well-known/openid-configuration`));
    for (const client of catalog.clients) assert.match(printed, new RegExp(`^  ${client.client_id} `, 'm'));
    assert.match(printed, /redirect_uri {2}http:\/\/localhost:5173\/flows\/authorization-code-pkce$/m);
  } finally {
    await other.close();
  }
});

test('Node transport: a timer sweeps expired state with no request to trigger it, and never keeps the process alive', async () => {
  let now = 0;
  const store = createMemoryStore(() => now);
  await store.set('interaction:a', 1, 600);
  await store.set('interaction:b', 2, 600);
  now = 601_000;
  assert.equal(await store.size(), 2);
  const timer = sweepPeriodically(store, 5);
  try {
    assert.equal(timer.hasRef(), false);
    for (let waited = 0; waited < 2000 && (await store.size()) > 0; waited += 10) await sleep(10);
    assert.equal(await store.size(), 0);
  } finally {
    clearInterval(timer);
  }
});

test('Node transport: a client signs an assertion with the catalog key (RFC 7523 §2.2) and pushes a request (RFC 9126)', async () => {
  const catalog = (await (await fetch(`${sandbox.issuer}/catalog`)).json()) as Catalog;
  const job = catalog.clients.find((client) => client.client_id === 'm2m-private-key-jwt')!;
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({jti: crypto.randomUUID()})
    .setProtectedHeader({alg: 'ES256', kid: job.private_jwk!.kid})
    .setIssuer(job.client_id)
    .setSubject(job.client_id)
    .setAudience(sandbox.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(await importJWK(job.private_jwk!, 'ES256'));
  const tokenRequest = () =>
    fetch(`${sandbox.issuer}/token`, {
      method: 'POST',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        audience: `${sandbox.issuer}/api/calendar`,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }),
    });
  assert.equal((await tokenRequest()).status, 200);
  assert.equal((await tokenRequest()).status, 401, 'the jti was used');
  const webApp = catalog.clients.find((client) => client.client_id === 'web-app-par')!;
  const pushed = await fetch(`${sandbox.issuer}/par`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${btoa(`${webApp.client_id}:${webApp.client_secret}`)}`,
    },
    body: new URLSearchParams({
      response_type: 'code',
      redirect_uri: webApp.redirect_uris[0]!,
      scope: 'openid',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }),
  });
  assert.equal(pushed.status, 201);
  const {request_uri} = (await pushed.json()) as {request_uri: string};
  const url = `${sandbox.issuer}/authorize?${new URLSearchParams({client_id: webApp.client_id, request_uri})}`;
  assert.equal((await fetch(url, {redirect: 'manual'})).status, 303, 'to the sign-in page');
  assert.equal((await fetch(url, {redirect: 'manual'})).status, 400, 'used once');
});
