import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {execFile, execFileSync} from 'node:child_process';
import {promisify} from 'node:util';
import {startNodeSandbox, type NodeSandbox} from '../../sandbox/node';
import {
  carriesIssuedCredential,
  breakDownUrl,
  createRecordingFetch,
  formFields,
  NODE_SANDBOX_ISSUER,
  prettyBody,
  shellQuote,
  toCurl,
  toFetch,
  toNodeSandbox,
  type HttpExchangeRecord,
  type RecordedRequest,
} from './exchange';
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
    const {address, parameters} = breakDownUrl(
      'https://as.test/authorize?response_type=code&scope=openid%20profile&state=a%2Bb#frag',
    );
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
  it('renders curl aimed at the Node sandbox, one form field per --data-urlencode', () => {
    const curl = toCurl(tokenRequest, toNodeSandbox('http://localhost:3000/sandbox'));
    assert.equal(
      curl,
      [
        "curl -i -X POST 'http://localhost:4000/sandbox/token'",
        "-H 'accept: application/json'",
        "-H 'content-type: application/x-www-form-urlencoded;charset=UTF-8'",
        "--data-urlencode 'grant_type=authorization_code'",
        `--data-urlencode 'code=it'\\''s a code'`,
        // A docs page stays as it is: the Node sandbox registers the same page for --site-url http://localhost:3000/.
        "--data-urlencode 'redirect_uri=http://localhost:3000/flows/authorization-code-pkce'",
        "--data-urlencode 'code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'",
      ].join(' \\\n  '),
    );
  });

  it('moves only URLs under the issuer, including encoded query values, and never a longer look-alike path', () => {
    const authorize: RecordedRequest = {
      method: 'GET',
      url: `http://localhost:3000/sandbox/authorize?${new URLSearchParams({
        client_id: 'regular-web-app',
        redirect_uri: 'http://localhost:3000/sandbox/webapp/callback',
        audience: 'http://localhost:3000/sandbox/api/calendar',
        state: 'http://localhost:3000/sandboxes',
      })}`,
      headers: [],
    };
    const url = new URL(/'([^']+)'/.exec(toCurl(authorize, toNodeSandbox('http://localhost:3000/sandbox')))![1]);
    assert.equal(url.origin + url.pathname, `${NODE_SANDBOX_ISSUER}/authorize`);
    assert.equal(url.searchParams.get('redirect_uri'), `${NODE_SANDBOX_ISSUER}/webapp/callback`);
    assert.equal(url.searchParams.get('audience'), `${NODE_SANDBOX_ISSUER}/api/calendar`);
    assert.equal(url.searchParams.get('state'), 'http://localhost:3000/sandboxes');
    assert.equal(toCurl(authorize), toCurl(authorize, undefined));
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
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluates the object literal the snippet carries
    const fields = (Function(`return ${body}`) as () => Record<string, string>)();
    assert.equal(new URLSearchParams(fields).toString(), tokenRequest.body);
  });
});

describe('recording fetch', () => {
  it('records request and response and hands back an unread response', async () => {
    const recorded: HttpExchangeRecord[] = [];
    const fetch = createRecordingFetch(
      (exchange) => recorded.push(exchange),
      async () =>
        new Response('{"ok":true}', {
          status: 201,
          statusText: 'Created',
          headers: {'content-type': 'application/json'},
        }),
    );
    const response = await fetch('https://api.test/things', {
      method: 'post',
      headers: {authorization: 'Bearer x'},
      body: new URLSearchParams({a: '1'}),
    });
    assert.deepEqual(await response.json(), {ok: true});
    assert.equal(recorded.length, 1);
    assert.deepEqual(recorded[0].request, {
      method: 'POST',
      url: 'https://api.test/things',
      headers: [['authorization', 'Bearer x']],
      body: 'a=1',
    });
    assert.equal(recorded[0].response?.status, 201);
    assert.equal(recorded[0].response?.body, '{"ok":true}');
    assert.deepEqual(recorded[0].response?.headers, [['content-type', 'application/json']]);
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
    assert.equal(recorded[0].failure, 'Failed to fetch');
    assert.equal(recorded[0].response, undefined);
  });
});

describe('a copied command against npm run sandbox', () => {
  let sandbox: NodeSandbox;
  before(async () => {
    sandbox = await startNodeSandbox({port: 0});
  });
  after(() => sandbox.close());

  it('client credentials: the curl copied from the page gets 200 from the Node sandbox', async () => {
    // The request as the page's recording fetch saw it, against the browser's sandbox.
    const pageIssuer = 'http://localhost:3000/sandbox';
    const recorded: RecordedRequest = {
      method: 'POST',
      url: `${pageIssuer}/token`,
      headers: [
        ['accept', 'application/json'],
        ['authorization', `Basic ${Buffer.from('m2m-cron:m2m-cron-secret-5bd1e8').toString('base64')}`],
        ['content-type', 'application/x-www-form-urlencoded;charset=UTF-8'],
        ['user-agent', 'test'],
      ],
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        audience: `${pageIssuer}/api/calendar`,
        scope: 'calendar:read',
      }).toString(),
    };
    const target = toNodeSandbox(pageIssuer, sandbox.issuer);
    const curl = toCurl(recorded, target);
    let status: number;
    let body: string;
    if (hasCurl()) {
      const {stdout} = await promisify(execFile)('sh', ['-c', `${curl} --silent --show-error`]);
      const [head = '', ...rest] = stdout.split(/\r?\n\r?\n/);
      status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head)?.[1]);
      body = rest.join('\n\n');
    } else {
      // No curl here: the same request rebuilt from the copied command's own arguments.
      const argument = (flag: string) =>
        [...curl.matchAll(new RegExp(`${flag} '((?:[^']|'\\\\'')*)'`, 'g'))].map((match) =>
          match[1].replace(/'\\''/g, "'"),
        );
      const response = await fetch(/'([^']+)'/.exec(curl)![1], {
        method: 'POST',
        headers: argument('-H').map((header) => header.split(/: (.*)/s).slice(0, 2) as [string, string]),
        body: new URLSearchParams(
          argument('--data-urlencode').map((field) => field.split(/=(.*)/s).slice(0, 2) as [string, string]),
        ),
      });
      status = response.status;
      body = await response.text();
    }
    assert.equal(status, 200, body);
    const tokens = JSON.parse(body) as {access_token: string; token_type: string; scope: string};
    assert.equal(tokens.token_type, 'Bearer');
    assert.equal(tokens.scope, 'calendar:read');
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url').toString()) as {
      aud: string;
      iss: string;
    };
    assert.equal(claims.iss, sandbox.issuer);
    assert.equal(claims.aud, `${sandbox.issuer}/api/calendar`);
  });
});

function hasCurl(): boolean {
  try {
    execFileSync('curl', ['--version'], {stdio: 'ignore'});
    return true;
  } catch {
    return false;
  }
}

describe('requests whose copied curl command the Node sandbox would refuse', () => {
  const request = (headers: Array<[string, string]>, body?: string) => ({
    method: 'POST',
    url: 'https://docs.test/sandbox/token',
    headers,
    body,
  });
  const form: [string, string] = ['content-type', 'application/x-www-form-urlencoded'];
  it('are the ones carrying a bearer token, a code, a refresh token or a token to revoke', () => {
    assert.equal(carriesIssuedCredential({...request([['authorization', 'Bearer eyJ.x.y']]), method: 'GET'}), true);
    assert.equal(
      carriesIssuedCredential(request([form], 'grant_type=authorization_code&code=abc&code_verifier=v')),
      true,
    );
    assert.equal(carriesIssuedCredential(request([form], 'grant_type=refresh_token&refresh_token=r')), true);
    assert.equal(carriesIssuedCredential(request([form], 'token=t&token_type_hint=access_token')), true);
  });
  it('not a client credentials request, nor a form-looking body of another type', () => {
    assert.equal(
      carriesIssuedCredential(request([form, ['authorization', 'Basic bTI=']], 'grant_type=client_credentials')),
      false,
    );
    assert.equal(carriesIssuedCredential(request([['content-type', 'application/json']], 'code=abc')), false);
  });
});
