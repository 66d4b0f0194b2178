import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import {adviceFor, describeError} from './errors';

describe('describing step failures', () => {
  it('keeps error and error_description of a token endpoint refusal (RFC 6749 §5.2)', async () => {
    const response = Response.json({error: 'invalid_grant', error_description: 'refresh token was already used'}, {status: 400});
    const as: oauth.AuthorizationServer = {issuer: 'https://as.test', token_endpoint: 'https://as.test/token'};
    const error = await oauth.processRefreshTokenResponse(as, {client_id: 'spa'}, response).catch((thrown: unknown) => thrown);
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
    assert.deepEqual(describeError(thrown), {message: 'server responded with a challenge', error: 'invalid_token', errorDescription: 'expired', status: 401});
  });

  it('describes anything else by its message', () => {
    assert.deepEqual(describeError(new TypeError('Failed to fetch')), {message: 'Failed to fetch'});
    assert.deepEqual(describeError('plain'), {message: 'plain'});
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
