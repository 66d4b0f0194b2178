import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {breakDownUrl, createRecordingFetch, formFields, prettyBody, shellQuote, toCurl, toFetch, type HttpExchangeRecord, type RecordedRequest} from './exchange';
import {describeParameter} from './parameters';

const tokenRequest: RecordedRequest = {
  method: 'POST',
  url: 'http://localhost:3000/sandbox/token',
  headers: [
    ['accept', 'application/json'],
    ['content-type', 'application/x-www-form-urlencoded;charset=UTF-8'],
    ['user-agent', 'test'],
  ],
  body: new URLSearchParams({
    grant_type: 'authorization_code',
    code: "it's a code",
    redirect_uri: 'http://localhost:3000/flows/authorization-code-pkce',
    code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  }).toString(),
};

describe('breaking requests down', () => {
  it('splits a URL into its address and its query parameters, in order', () => {
    const {address, parameters} = breakDownUrl('https://as.test/authorize?response_type=code&scope=openid%20profile&state=a%2Bb#frag');
    assert.equal(address, 'https://as.test/authorize');
    assert.deepEqual(parameters, [
      ['response_type', 'code'],
      ['scope', 'openid profile'],
      ['state', 'a+b'],
    ]);
  });

  it('reads form fields only from form-encoded bodies', () => {
    assert.deepEqual(formFields(tokenRequest.headers, tokenRequest.body)?.[0], ['grant_type', 'authorization_code']);
    assert.equal(formFields([['content-type', 'application/json']], '{"a":1}'), undefined);
    assert.equal(formFields(tokenRequest.headers, undefined), undefined);
  });

  it('pretty-prints JSON and leaves other text alone', () => {
    assert.deepEqual(prettyBody('{"a":1}'), {text: '{\n  "a": 1\n}', json: true});
    assert.deepEqual(prettyBody('<html>'), {text: '<html>', json: false});
  });

  it('knows the PKCE parameters and cites their sections', () => {
    assert.equal(describeParameter('code_verifier')?.reference, 'RFC 7636 §4.5');
    assert.equal(describeParameter('Content-Type')?.reference, 'RFC 6749 §4.1.3');
    assert.equal(describeParameter('constructor'), undefined);
    // Each grant_type value points to the section of its own grant.
    assert.equal(describeParameter('grant_type', 'refresh_token')?.reference, 'RFC 6749 §6');
    assert.equal(describeParameter('grant_type', 'authorization_code')?.reference, 'RFC 6749 §4.1.3');
    assert.equal(describeParameter('grant_type', 'client_credentials')?.reference, 'RFC 6749 §4.4.2');
    assert.equal(describeParameter('grant_type', 'urn:example')?.reference, 'RFC 6749 §4');
  });

  it('tells Basic client authentication from a bearer token (RFC 6749 §2.3.1, RFC 6750 §2.1)', () => {
    assert.equal(describeParameter('Authorization', 'Basic bTJtOnM=')?.reference, 'RFC 6749 §2.3.1');
    assert.equal(describeParameter('authorization', 'Bearer eyJ')?.reference, 'RFC 6750 §2.1');
    assert.equal(describeParameter('www-authenticate', 'Basic realm="sandbox"')?.reference, 'RFC 6749 §5.2');
    assert.equal(describeParameter('www-authenticate', 'Bearer error="invalid_token"')?.reference, 'RFC 6750 §3');
  });
});

describe('copying requests', () => {
  it('renders curl aimed at another server, one form field per --data-urlencode', () => {
    const curl = toCurl(tokenRequest, {from: 'http://localhost:3000/', to: 'http://localhost:4000/'});
    assert.equal(
      curl,
      [
        "curl -i -X POST 'http://localhost:4000/sandbox/token'",
        "-H 'accept: application/json'",
        "-H 'content-type: application/x-www-form-urlencoded;charset=UTF-8'",
        "--data-urlencode 'grant_type=authorization_code'",
        `--data-urlencode 'code=it'\\''s a code'`,
        "--data-urlencode 'redirect_uri=http://localhost:4000/flows/authorization-code-pkce'",
        "--data-urlencode 'code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'",
      ].join(' \\\n  '),
    );
  });

  it('quotes so that a POSIX shell gets the exact text back', () => {
    const tricky = `a'b "c" $HOME \\ \`x\``;
    assert.equal(execFileSync('sh', ['-c', `printf %s ${shellQuote(tricky)}`]).toString(), tricky);
  });

  it('renders a fetch call that rebuilds the same form body', () => {
    const code = toFetch(tokenRequest);
    assert.match(code, /^const response = await fetch\("http:\/\/localhost:3000\/sandbox\/token", \{/);
    assert.doesNotMatch(code, /user-agent/);
    const body = /body: new URLSearchParams\((\{[\s\S]*?\})\),/.exec(code)?.[1];
    assert.ok(body);
    const fields = Function(`return ${body}`)() as Record<string, string>;
    assert.equal(new URLSearchParams(fields).toString(), tokenRequest.body);
  });
});

describe('recording fetch', () => {
  it('records request and response and hands back an unread response', async () => {
    const recorded: HttpExchangeRecord[] = [];
    const fetch = createRecordingFetch(
      (exchange) => recorded.push(exchange),
      async () => new Response('{"ok":true}', {status: 201, statusText: 'Created', headers: {'content-type': 'application/json'}}),
    );
    const response = await fetch('https://api.test/things', {method: 'post', headers: {authorization: 'Bearer x'}, body: new URLSearchParams({a: '1'})});
    assert.deepEqual(await response.json(), {ok: true});
    assert.equal(recorded.length, 1);
    assert.deepEqual(recorded[0]!.request, {method: 'POST', url: 'https://api.test/things', headers: [['authorization', 'Bearer x']], body: 'a=1'});
    assert.equal(recorded[0]!.response?.status, 201);
    assert.equal(recorded[0]!.response?.body, '{"ok":true}');
    assert.deepEqual(recorded[0]!.response?.headers, [['content-type', 'application/json']]);
  });

  it('records a network failure and still throws it', async () => {
    const recorded: HttpExchangeRecord[] = [];
    const fetch = createRecordingFetch(
      (exchange) => recorded.push(exchange),
      async () => {
        throw new TypeError('Failed to fetch');
      },
    );
    await assert.rejects(fetch('https://down.test/', {}), /Failed to fetch/);
    assert.equal(recorded[0]!.failure, 'Failed to fetch');
    assert.equal(recorded[0]!.response, undefined);
  });
});
