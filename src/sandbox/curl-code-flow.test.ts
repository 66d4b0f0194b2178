import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {after, before, test} from 'node:test';
import {decodeJwt} from 'jose';
import {startNodeSandbox, type NodeSandbox} from './node';

// The curl-only code flow documented on the try-the-endpoints page, run as it is against the Node transport.
const script = join(__dirname, '..', '..', 'scripts', 'curl-code-flow.sh');

let sandbox: NodeSandbox;
before(async () => {
  sandbox = await startNodeSandbox({port: 0});
});
after(() => sandbox.close());

test('the documented curl-only code flow with PKCE gets tokens from the Node sandbox (RFC 6749 §4.1, RFC 7636)', async () => {
  const {stdout} = await promisify(execFile)('bash', [script], {
    env: {...process.env, ISSUER: sandbox.issuer},
    timeout: 30_000,
  });
  const tokens = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
    access_token: string;
    id_token: string;
    token_type: string;
  };
  assert.equal(tokens.token_type, 'Bearer');
  assert.equal(decodeJwt(tokens.id_token).sub, 'user-alice');
  assert.equal(decodeJwt(tokens.access_token).client_id, 'native-app');
  assert.match(stdout, /Redirected to: +http:\/\/127\.0\.0\.1:8765\/callback\?code=/);
});

test('the script refuses a wrong password with a clear failure, not a token', async () => {
  await assert.rejects(
    promisify(execFile)('bash', [script], {
      env: {...process.env, ISSUER: sandbox.issuer, PASSWORD: 'wrong'},
      timeout: 30_000,
    }),
    (error: {code?: number; stderr?: string}) => error.code === 1 && /the sign-in was refused/.test(error.stderr ?? ''),
  );
});
