/**
 * The token endpoint's request bodies, one per grant registered in grants/registry.ts: a grant added there
 * without its body here does not compile.
 */
import type {Schema} from '../../contract/openapi';
import {ATTEMPT_WINDOW, MAX_FAILURES_PER_CLIENT, MAX_FAILURES_PER_USER} from '../checks/password-attempts';
import {DEVICE_CODE_GRANT_TYPE} from '../../contract/catalog';
import type {GrantType} from '../grants/grant-types';
import {clientBodyAuth, rfc, string, targetProperties} from './parts';
import type {DescriptionContext} from './types';

export function tokenRequestSchemas(context: DescriptionContext): Record<GrantType, Schema> {
  const target = targetProperties(context);
  const tokenRequest = (
    grant: GrantType,
    description: string,
    required: string[],
    properties: Record<string, Schema>,
  ): Schema => ({
    type: 'object',
    description,
    required: ['grant_type', ...required],
    properties: {grant_type: {type: 'string', const: grant}, ...properties, ...clientBodyAuth()},
  });
  return {
    authorization_code: tokenRequest(
      'authorization_code',
      `Exchange an authorization code (${rfc(6749, '4.1.3')}) with its PKCE verifier (${rfc(7636, '4.5')}).`,
      ['code', 'redirect_uri'],
      {
        code: string('The authorization code, single use, valid 60 seconds.'),
        redirect_uri: string('Identical to the one in the authorization request.', {format: 'uri'}),
        code_verifier: string(`The PKCE verifier, required when the request had a challenge (${rfc(7636, '4.5')}).`, {
          pattern: '^[A-Za-z0-9._~-]{43,128}$',
        }),
        ...target,
      },
    ),
    client_credentials: tokenRequest(
      'client_credentials',
      `A confidential client's own token for one API (${rfc(6749, '4.4.2')}); no refresh token (${rfc(6749, '4.4.3')}).`,
      [],
      target,
    ),
    password: tokenRequest(
      'password',
      `The resource owner password credentials grant (${rfc(6749, '4.3.2')}); ${rfc(9700, '2.4')} says not to use it. After ${MAX_FAILURES_PER_USER} wrong passwords for a user, or ${MAX_FAILURES_PER_CLIENT} through a client, within ${ATTEMPT_WINDOW / 60} minutes, every attempt for that user or client is \`invalid_grant\` until those minutes are over, the right password too (${rfc(6749, '10.10')}).`,
      ['username', 'password'],
      {
        username: string("The user's username."),
        password: string("The user's password.", {format: 'password'}),
        ...target,
      },
    ),
    refresh_token: tokenRequest(
      'refresh_token',
      `Refresh (${rfc(6749, '6')}); refresh tokens rotate (${rfc(9700, '4.14.2')}).`,
      ['refresh_token'],
      {
        refresh_token: string('The refresh token.'),
        scope: target.scope!,
        resource: target.resource!,
        audience: target.audience!,
      },
    ),
    [DEVICE_CODE_GRANT_TYPE]: tokenRequest(
      DEVICE_CODE_GRANT_TYPE,
      `Poll with a device code (${rfc(8628, '3.4')}) until the user decided: \`authorization_pending\`, \`slow_down\` (the interval grows by 5 seconds, for good), \`access_denied\`, \`expired_token\` (${rfc(8628, '3.5')}). A device code redeems once.`,
      ['device_code'],
      {device_code: string('The device code from the device authorization response.')},
    ),
  };
}
