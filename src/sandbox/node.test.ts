import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {startNodeSandbox, type NodeSandbox} from './node';

let sandbox: NodeSandbox;
before(async () => {
  sandbox = await startNodeSandbox({port: 0});
});
after(() => sandbox.close());

test('Node transport: serves discovery at http://localhost:<port>/sandbox', async () => {
  assert.match(sandbox.issuer, /^http:\/\/localhost:\d+\/sandbox$/);
  const metadata = (await (await fetch(`${sandbox.issuer}/.well-known/openid-configuration`)).json()) as {issuer: string; token_endpoint: string};
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
  const catalog = (await (await fetch(`${sandbox.issuer}/catalog`)).json()) as {clients: {client_id: string; redirect_uris: string[]}[]};
  assert.equal(catalog.clients.find((client) => client.client_id === 'spa')!.redirect_uris[0], 'http://localhost:3000/flows/authorization-code-pkce');
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
