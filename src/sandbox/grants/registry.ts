import {DEVICE_CODE_GRANT_TYPE} from '../../contract/catalog';
import {authorizationCode} from './authorization-code';
import {clientCredentials} from './client-credentials';
import {deviceCode} from './device-code';
import type {GrantType} from './grant-types';
import {password} from './password';
import {refreshToken} from './refresh-token';
import type {GrantHandler} from './types';

export {GRANT_TYPES, type GrantType} from './grant-types';

/** The handler of each grant type in grant-types.ts: one for every name, and no other. */
export const GRANTS: Record<GrantType, GrantHandler> = {
  authorization_code: authorizationCode,
  client_credentials: clientCredentials,
  password,
  refresh_token: refreshToken,
  [DEVICE_CODE_GRANT_TYPE]: deviceCode,
};
