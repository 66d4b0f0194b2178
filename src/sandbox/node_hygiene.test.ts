import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {startNodeSandbox, type NodeSandbox} from './node';

let sandbox: NodeSandbox;
before(async () => {
  sandbox = await startNodeSandbox({port: 0});
});
after(() => sandbox.close());

test('RFC 9110 §9.3.7: a plain OPTIONS on Node answers with Allow listing the route\'s methods', async () => {
  const expected: [string, string][] = [
    ['/token', 'POST, OPTIONS'],
    ['/authorize', 'GET, POST, OPTIONS'],
    ['/jwks', 'GET, HEAD, OPTIONS'],
    ['/userinfo', 'GET, HEAD, POST, OPTIONS'],
    ['/api/calendar/events', 'GET, HEAD, POST, OPTIONS'],
  ];
  for (const [path, allow] of expected) {
    for (const headers of [{}, {origin: 'http://localhost:3000'}] as Record<string, string>[]) {
      const response = await fetch(`${sandbox.issuer}${path}`, {method: 'OPTIONS', headers});
      assert.equal(response.status, 204, `${path} ${JSON.stringify(headers)}`);
      assert.equal(response.headers.get('allow'), allow, `${path} ${JSON.stringify(headers)}`);
      // Not a preflight, so no preflight answer.
      assert.equal(response.headers.get('access-control-allow-methods'), null);
    }
  }
});

test('Fetch standard CORS preflight on Node: unchanged, the CORS answer for allowed origins only', async () => {
  const preflight = (origin: string) =>
    fetch(`${sandbox.issuer}/token`, {
      method: 'OPTIONS',
      headers: {origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type'},
    });
  const allowed = await preflight('http://localhost:3000');
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://localhost:3000');
  assert.match(allowed.headers.get('access-control-allow-methods') ?? '', /POST/);
  assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /Content-Type/);
  const refused = await preflight('https://evil.test');
  assert.equal(refused.headers.get('access-control-allow-origin'), null);
});

test('RFC 9110 §9.3.2: HEAD /authorize on Node is refused before anything runs', async () => {
  const response = await fetch(`${sandbox.issuer}/authorize?client_id=spa&response_type=code`, {method: 'HEAD', redirect: 'manual'});
  assert.equal(response.status, 405);
  assert.equal(response.headers.get('allow'), 'GET, POST');
});
