import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import {adviceFor, describeError, readRefusal} from './errors';

describe('describing step failures', () => {
  it('keeps error and error_description of a token endpoint refusal (RFC 6749 §5.2)', async () => {
    const response = Response.json(
      {error: 'invalid_grant', error_description: 'refresh token was already used'},
      {status: 400},
    );
    const as: oauth.AuthorizationServer = {issuer: 'https://as.test', token_endpoint: 'https://as.test/token'};
    const error = await oauth
      .processRefreshTokenResponse(as, {client_id: 'spa'}, response)
      .catch((thrown: unknown) => thrown);
    assert.deepEqual(describeError(error), {
      message: (error as Error).message,
      error: 'invalid_grant',
      errorDescription: 'refresh token was already used',
      status: 400,
    });
  });

  it('reads the error of a WWW-Authenticate challenge (RFC 6750 §3)', () => {
    const thrown = Object.assign(new Error('server responded with a challenge'), {
      cause: [{scheme: 'bearer', parameters: {error: 'invalid_token', error_description: 'expired'}}],
      status: 401,
    });
    assert.deepEqual(describeError(thrown), {
      message: 'server responded with a challenge',
      error: 'invalid_token',
      errorDescription: 'expired',
      status: 401,
    });
  });

  it('reads the error of a 5xx token response, whose body oauth4webapi does not read (RFC 6749 §4.1.2.1 codes)', async () => {
    const response = Response.json({error: 'server_error', error_description: 'storage is full'}, {status: 500});
    const as: oauth.AuthorizationServer = {issuer: 'https://as.test', token_endpoint: 'https://as.test/token'};
    const thrown = await oauth
      .processRefreshTokenResponse(as, {client_id: 'spa'}, response)
      .catch((error: unknown) => error);
    assert.equal(describeError(thrown).error, undefined);
    assert.deepEqual(describeError(await readRefusal(thrown)), {
      message: (thrown as Error).message,
      error: 'server_error',
      errorDescription: 'storage is full',
      status: 500,
    });
  });

  it('keeps a correctable refusal correctable when it is read again', async () => {
    const refusal = await readRefusal(
      Object.assign(new Error('refused'), {
        error: 'invalid_grant',
        error_description: 'wrong username or password',
        status: 400,
      }),
      {correctable: true},
    );
    assert.equal(describeError(await readRefusal(refusal)).correctable, true);
    assert.equal(adviceFor(describeError(await readRefusal(refusal))).next, 'try-again');
  });

  it('says a token that does not fit the clock is about clocks, and to start over', async () => {
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    // Expired an hour ago by this clock: what a client sees when its clock runs an hour ahead.
    const idToken = `${encode({alg: 'RS256'})}.${encode({iss: 'https://as.test', aud: 'spa', sub: 'u', iat: now - 4200, exp: now - 3600})}.c2ln`;
    const response = Response.json({access_token: 'at', token_type: 'Bearer', id_token: idToken});
    const as: oauth.AuthorizationServer = {issuer: 'https://as.test', token_endpoint: 'https://as.test/token'};
    const thrown = await oauth
      .processRefreshTokenResponse(as, {client_id: 'spa'}, response)
      .catch((error: unknown) => error);
    const described = describeError(thrown);
    assert.equal(described.code, 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED');
    assert.match(adviceFor(described).explanation, /clock/);
    assert.equal(adviceFor(described).next, 'start-over');
  });

  it('describes anything else by its message', () => {
    assert.deepEqual(describeError(new TypeError('Failed to fetch')), {message: 'Failed to fetch', network: true});
    assert.deepEqual(describeError('plain'), {message: 'plain'});
  });
});

describe('reading a refusal whose code is in the body', () => {
  const as: oauth.AuthorizationServer = {issuer: 'https://as.test', token_endpoint: 'https://as.test/token'};
  const client: oauth.Client = {client_id: 'job', token_endpoint_auth_method: 'client_secret_basic'};

  /** A client credentials request (RFC 6749 §4.4.2) answered by `response`, as oauth4webapi throws it. */
  async function refusedWith(response: Response): Promise<unknown> {
    const request = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic('wrong'),
      new URLSearchParams(),
      {
        [oauth.customFetch]: async () => response,
      },
    );
    return oauth.processClientCredentialsResponse(as, client, request).catch((thrown: unknown) => thrown);
  }

  it('finds invalid_client in the body of a 401 Basic challenge without an error parameter (RFC 6749 §5.2)', async () => {
    const thrown = await refusedWith(
      Response.json(
        {error: 'invalid_client', error_description: 'client authentication failed'},
        {status: 401, headers: {'www-authenticate': 'Basic realm="as.test"'}},
      ),
    );
    assert.ok(thrown instanceof oauth.WWWAuthenticateChallengeError);
    assert.equal(describeError(thrown).error, undefined, 'the challenge alone names no error');
    const refusal = describeError(await readRefusal(thrown));
    assert.deepEqual(refusal, {
      message: (thrown as Error).message,
      error: 'invalid_client',
      errorDescription: 'client authentication failed',
      status: 401,
    });
    assert.equal(adviceFor(refusal).next, 'try-again');
  });

  it('keeps an error the body already gave, and marks a refusal of typed input as correctable', async () => {
    const thrown = await refusedWith(
      Response.json({error: 'invalid_grant', error_description: 'wrong username or password'}, {status: 400}),
    );
    const refusal = describeError(await readRefusal(thrown, {correctable: true}));
    assert.deepEqual(refusal, {
      message: (thrown as Error).message,
      error: 'invalid_grant',
      errorDescription: 'wrong username or password',
      status: 400,
      correctable: true,
    });
    assert.equal(adviceFor(refusal).next, 'try-again', 'a wrong password can be typed again');
    assert.match(adviceFor(refusal).explanation, /wrong username or password/);
  });

  it('returns anything without an OAuth error unchanged', async () => {
    const failure = new TypeError('Failed to fetch');
    assert.equal(await readRefusal(failure), failure);
    const challenge = await refusedWith(
      new Response('not json', {status: 401, headers: {'www-authenticate': 'Basic realm="as.test"'}}),
    );
    assert.equal(await readRefusal(challenge), challenge);
  });
});

describe('advice for a failed step', () => {
  it('sends the reader back to a fresh authorization after access_denied or invalid_grant', () => {
    assert.equal(adviceFor({message: 'x', error: 'access_denied'}).next, 'start-over');
    assert.match(adviceFor({message: 'x', error: 'access_denied'}).explanation, /consent was denied/);
    assert.equal(adviceFor({message: 'x', error: 'invalid_grant'}).next, 'start-over');
  });

  it('offers a retry for a failure with no OAuth error', () => {
    assert.equal(adviceFor({message: 'Failed to fetch'}).next, 'try-again');
  });
});

describe("advice when the walkthrough runs against the reader's own provider", () => {
  const ownProvider = {
    issuer: 'https://tenant.example',
    siteOrigin: 'https://docs.example',
    redirectUri: 'https://docs.example/flows/authorization-code-pkce',
  };

  it('turns a fetch that got no answer into what to configure: origin, redirect URI, a public client with PKCE', () => {
    const advice = adviceFor(describeError(new TypeError('Failed to fetch')), ownProvider);
    assert.match(advice.explanation, /allow the origin https:\/\/docs\.example for cross-origin requests/);
    assert.match(
      advice.explanation,
      /register https:\/\/docs\.example\/flows\/authorization-code-pkce as a redirect URI/,
    );
    assert.match(advice.explanation, /public \(no client secret/);
    assert.match(advice.explanation, /PKCE/);
    assert.equal(advice.next, 'try-again');
  });

  it('keeps the plain advice for the sandbox', () => {
    assert.equal(adviceFor(describeError(new TypeError('Failed to fetch'))).explanation, 'The step did not complete.');
  });

  it('explains a discovery document whose issuer is not the one asked for (RFC 8414 §3.3)', async () => {
    const issuer = new URL('https://tenant.example/realms/dev');
    const response = Response.json({
      issuer: 'https://tenant.example/realms/dev/',
      authorization_endpoint: 'https://tenant.example/authorize',
    });
    const thrown = await oauth.processDiscoveryResponse(issuer, response).catch((error: unknown) => error);
    const described = describeError(thrown);
    assert.equal(described.check, 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED');
    assert.match(adviceFor(described, ownProvider).explanation, /"issuer" must equal the issuer URL you entered/);
  });

  it("does not take oauth4webapi's own argument errors for a network failure", async () => {
    const thrown = await oauth
      .discoveryRequest('https://tenant.example' as unknown as URL)
      .catch((error: unknown) => error);
    assert.ok(thrown instanceof TypeError, 'oauth4webapi refuses a string issuer with a TypeError');
    assert.equal(describeError(thrown).network, undefined);
  });
});
