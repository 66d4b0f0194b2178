import assert from 'node:assert/strict';
import {connect} from 'node:net';
import {setTimeout as delay} from 'node:timers/promises';
import {after, before, test} from 'node:test';
import {startNodeSandbox, type NodeSandbox} from './node';

let sandbox: NodeSandbox;
before(async () => {
  sandbox = await startNodeSandbox({port: 0});
});
after(() => sandbox.close());

test("RFC 9110 §9.3.7: a plain OPTIONS on Node answers with Allow listing the route's methods", async () => {
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
  const response = await fetch(`${sandbox.issuer}/authorize?client_id=spa&response_type=code`, {
    method: 'HEAD',
    redirect: 'manual',
  });
  assert.equal(response.status, 405);
  assert.equal(response.headers.get('allow'), 'GET, POST');
});

test('An upload the client abandons mid-body on Node is a client abort: nothing logged, the server carries on', async (t) => {
  const logged: unknown[][] = [];
  t.mock.method(console, 'error', (...args: unknown[]) => void logged.push(args));
  const {port} = new URL(sandbox.issuer);
  for (const [path, type] of [
    ['/sandbox/token', 'application/x-www-form-urlencoded'],
    ['/sandbox/userinfo', 'application/x-www-form-urlencoded'],
    ['/sandbox/revoke', 'application/x-www-form-urlencoded'],
    ['/sandbox/authorize', 'application/x-www-form-urlencoded'],
  ] as const) {
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    // Promises 1000 bytes, sends 21, then hangs up.
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Type: ${type}\r\nContent-Length: 1000\r\n\r\ngrant_type=client_cre`,
    );
    await delay(100);
    socket.destroy();
    // Give the server time to notice the hang-up and finish the request (it logged within milliseconds before).
    await delay(300);
    assert.equal(Buffer.concat(received).length, 0, `${path}: nothing was answered before the body was complete`);
  }
  assert.deepEqual(logged, []);
  const after = await fetch(`${sandbox.issuer}/jwks`);
  assert.equal(after.status, 200);
});
