/** The password grant and UserInfo, refresh token rotation and reuse, introspection and revocation. */
import type {Folder, RequestSpec, Scenario} from '../scenario';
import {bearerChallenge, jsonContent, literal, noStore, oauthError, save, status, tokenResponse} from '../scripts';

export function passwordFolders(scenario: Scenario): Folder[] {
  const {catalog, passwordClient, user, userinfoScope, passwordAuth, introspectorBasic} = scenario;
  const folders: Folder[] = [];
  const folder = (name: string, text: string, requests: RequestSpec[]) =>
    folders.push({name, description: text, requests});

  // ---- Password grant, userinfo, refresh tokens ----
  const passwordGrant = (
    scope: string,
    refreshVariable: string,
    accessVariable: string,
    name: string,
    purpose: string,
  ): RequestSpec => ({
    name,
    description: `RFC 6749 §4.3 with client_secret_post (RFC 6749 §2.3.1). ${purpose}`,
    operation: 'postToken',
    form: [
      ['grant_type', 'password'],
      ...passwordAuth,
      ['username', '{{username}}'],
      ['password', '{{password}}'],
      ['scope', scope],
    ],
    status: 200,
    tests: [
      ...tokenResponse({
        scope,
        refresh: scope.split(' ').includes('offline_access'),
        idToken: scope.split(' ').includes('openid'),
        aud: `pm.variables.get('issuer') + '/userinfo'`,
        sub: user.sub,
        clientId: passwordClient.client_id,
      }),
      ...save(accessVariable, 'tokens.access_token'),
      ...save(refreshVariable, 'tokens.refresh_token'),
    ],
  });
  const refresh = (
    name: string,
    description: string,
    variable: string,
    expectation: 'ok' | 'invalid_grant',
    saves: [string, string][] = [],
  ): RequestSpec => ({
    name,
    description,
    operation: 'postToken',
    form: [['grant_type', 'refresh_token'], ...passwordAuth, ['refresh_token', `{{${variable}}}`]],
    status: expectation === 'ok' ? 200 : 400,
    tests:
      expectation === 'ok'
        ? [
            ...tokenResponse({
              scope: userinfoScope,
              refresh: true,
              idToken: true,
              aud: `pm.variables.get('issuer') + '/userinfo'`,
              sub: user.sub,
              clientId: passwordClient.client_id,
            }),
            `pm.test('the refresh token is rotated (RFC 9700 §4.14.2)', () => pm.expect(tokens.refresh_token).to.not.eql(pm.variables.get('${variable}')));`,
            ...saves.flatMap(([saved, field]) => save(saved, `tokens.${field}`)),
          ]
        : [...status(400), ...jsonContent(), ...noStore(), ...oauthError('invalid_grant')],
  });
  // RFC 7662 §4: the server decides whom it answers about a token. The sandbox answers the client the
  // token was issued to, and an API's resource server about tokens for that API; these tokens are the
  // password client's, for UserInfo, so that client asks (client_secret_post, its registered method).
  const introspect = (name: string, description: string, variable: string, active: boolean): RequestSpec => ({
    name,
    description,
    operation: 'postIntrospect',
    form: [['token', `{{${variable}}}`], ...passwordAuth],
    status: 200,
    tests: [
      ...status(200),
      ...jsonContent(),
      ...noStore(),
      active
        ? [
            `pm.test('active, with the token\\'s client, subject and scope (RFC 7662 §2.2)', () => {`,
            `  const body = pm.response.json();`,
            `  pm.expect(body.active).to.eql(true);`,
            `  pm.expect(body.client_id).to.eql(pm.variables.get('password_client_id'));`,
            `  pm.expect(body.sub).to.eql(${literal(user.sub)});`,
            `  pm.expect(body.scope).to.eql(${literal(userinfoScope)});`,
            `  pm.expect(body.exp).to.be.a('number');`,
            `});`,
          ].join('\n')
        : `pm.test('inactive, and nothing else said (RFC 7662 §2.2)', () => pm.expect(pm.response.json()).to.eql({active: false}));`,
    ],
  });

  folder(
    'Password grant and userinfo',
    'The resource owner password grant (RFC 6749 §4.3; RFC 9700 §2.4 says not to use it) and the UserInfo endpoint (OIDC Core §5.3).',
    [
      passwordGrant(
        userinfoScope,
        'password_refresh_token',
        'password_access_token',
        'Password grant',
        'With openid and offline_access: an ID token and a refresh token.',
      ),
      {
        name: 'UserInfo',
        description: 'OIDC Core §5.3, with the access token from the password grant.',
        operation: 'getUserinfo',
        bearer: '{{password_access_token}}',
        status: 200,
        tests: [
          ...status(200),
          ...jsonContent(),
          `pm.test('the signed-in user\\'s claims for profile and email', () => {`,
          `  const claims = pm.response.json();`,
          `  pm.expect(claims.sub).to.eql(${literal(user.sub)});`,
          `  pm.expect(claims.name).to.eql(${literal(user.name)});`,
          `  pm.expect(claims.email).to.eql(${literal(user.email)});`,
          `});`,
        ],
      },
      {
        name: 'UserInfo (POST)',
        description:
          'OIDC Core §5.3: the UserInfo endpoint answers POST too, with the token in the Authorization header (RFC 6750 §2.1).',
        operation: 'postUserinfo',
        bearer: '{{password_access_token}}',
        status: 200,
        tests: [
          ...status(200),
          ...jsonContent(),
          `pm.test('the signed-in user', () => pm.expect(pm.response.json().sub).to.eql(${literal(user.sub)}));`,
        ],
      },
      {
        name: 'UserInfo without a token',
        description: 'RFC 6750 §3.1: 401 with a Bearer challenge.',
        operation: 'getUserinfo',
        status: 401,
        tests: [...status(401), ...bearerChallenge()],
      },
      {
        name: 'UserInfo with a malformed token',
        description: 'RFC 6750 §3.1: a token the server cannot validate is invalid_token, named in the challenge.',
        operation: 'getUserinfo',
        bearer: 'not-a-jwt',
        status: 401,
        tests: [...status(401), ...jsonContent(), ...oauthError('invalid_token'), ...bearerChallenge('invalid_token')],
      },
      {
        name: 'Password grant with a wrong password',
        description: 'RFC 6749 §5.2: wrong resource owner credentials are invalid_grant.',
        operation: 'postToken',
        form: [
          ['grant_type', 'password'],
          ...passwordAuth,
          ['username', '{{username}}'],
          ['password', 'not-the-password'],
          ['scope', 'openid'],
        ],
        status: 400,
        tests: [...status(400), ...jsonContent(), ...noStore(), ...oauthError('invalid_grant')],
      },
    ],
  );

  folder(
    'Refresh tokens: rotation and reuse',
    'RFC 6749 §6 with rotation on every use. Presenting a rotated refresh token again is reuse: the sandbox revokes the whole token family, so the newest refresh token and its access token stop working too (RFC 9700 §4.14.2).',
    [
      {
        name: 'Refresh asking for a scope not granted',
        description:
          'RFC 6749 §6: the scope may be narrowed, never widened; invalid_scope. A refused request does not use the refresh token up: the next request still refreshes with it.',
        operation: 'postToken',
        form: [
          ['grant_type', 'refresh_token'],
          ...passwordAuth,
          ['refresh_token', '{{password_refresh_token}}'],
          ['scope', `${userinfoScope} ${catalog.apis[0].scopes[0].value}`],
        ],
        status: 400,
        tests: [...status(400), ...jsonContent(), ...oauthError('invalid_scope')],
      },
      refresh(
        'Refresh',
        'Uses the refresh token from the password grant: new tokens and a new refresh token.',
        'password_refresh_token',
        'ok',
        [
          ['rotated_refresh_token', 'refresh_token'],
          ['rotated_access_token', 'access_token'],
        ],
      ),
      introspect(
        'Introspect the new access token',
        'RFC 7662 §2.1: the client the token was issued to authenticates as it does at the token endpoint.',
        'rotated_access_token',
        true,
      ),
      refresh(
        'Reuse the old refresh token',
        'The first refresh token was rotated away: invalid_grant, and the token family is revoked.',
        'password_refresh_token',
        'invalid_grant',
      ),
      refresh(
        'Use the rotated refresh token after the reuse',
        'Revoked with its family: invalid_grant.',
        'rotated_refresh_token',
        'invalid_grant',
      ),
      introspect(
        'Introspect the access token of the revoked family',
        'Revoked with its family: inactive.',
        'rotated_access_token',
        false,
      ),
    ],
  );

  folder(
    'Introspection and revocation',
    'RFC 7662 introspection by a resource server, and RFC 7009 revocation by the client.',
    [
      passwordGrant(
        userinfoScope,
        'revocable_refresh_token',
        'revocable_access_token',
        'Password grant (tokens to revoke)',
        'A fresh grant to introspect and revoke.',
      ),
      introspect(
        'Introspect an active access token',
        'RFC 7662 §2.2: active, with its claims.',
        'revocable_access_token',
        true,
      ),
      {
        name: 'Introspect a token for UserInfo as the calendar API',
        description:
          "RFC 7662 §4: a resource server learns about tokens for its own API only; of another client's token for UserInfo it learns nothing but inactive.",
        operation: 'postIntrospect',
        basic: introspectorBasic,
        form: [['token', '{{revocable_access_token}}']],
        status: 200,
        tests: [
          ...status(200),
          ...jsonContent(),
          ...noStore(),
          `pm.test('inactive, and nothing else said (RFC 7662 §4)', () => pm.expect(pm.response.json()).to.eql({active: false}));`,
        ],
      },
      {
        name: 'Revoke the refresh token',
        description:
          'RFC 7009 §2.1: revoking a refresh token revokes its grant, including the access tokens issued from it.',
        operation: 'postRevoke',
        form: [['token', '{{revocable_refresh_token}}'], ['token_type_hint', 'refresh_token'], ...passwordAuth],
        status: 200,
        tests: [
          ...status(200),
          ...noStore(),
          `pm.test('no body (RFC 7009 §2.2)', () => pm.expect(pm.response.text()).to.eql(''));`,
        ],
      },
      introspect(
        'Introspect the access token after revocation',
        'Revoked with its grant: inactive (RFC 7662 §2.2).',
        'revocable_access_token',
        false,
      ),
      {
        name: 'UserInfo with the revoked access token',
        description: 'RFC 6750 §3.1: a revoked token is invalid_token.',
        operation: 'getUserinfo',
        bearer: '{{revocable_access_token}}',
        status: 401,
        tests: [...status(401), ...jsonContent(), ...oauthError('invalid_token'), ...bearerChallenge('invalid_token')],
      },
      {
        name: 'Revoke an unknown token',
        description: 'RFC 7009 §2.2: an invalid token is no error; the answer is still 200.',
        operation: 'postRevoke',
        form: [['token', 'not-a-token-this-server-issued'], ...passwordAuth],
        status: 200,
        tests: [...status(200), ...noStore()],
      },
      {
        name: 'Revoke with a token type hint the server cannot revoke',
        description:
          'RFC 7009 §2.2.1: unsupported_token_type for a token type the server does not revoke (an ID token).',
        operation: 'postRevoke',
        form: [['token', 'not-a-token-this-server-issued'], ['token_type_hint', 'id_token'], ...passwordAuth],
        status: 400,
        tests: [...status(400), ...jsonContent(), ...oauthError('unsupported_token_type')],
      },
      {
        name: 'Introspect without client authentication',
        description: 'RFC 7662 §2.1: the caller must authenticate; a public client cannot. 401 invalid_client.',
        operation: 'postIntrospect',
        form: [
          ['token', '{{revocable_access_token}}'],
          ['client_id', '{{native_client_id}}'],
        ],
        status: 401,
        tests: [...status(401), ...jsonContent(), ...noStore(), ...oauthError('invalid_client')],
      },
    ],
  );
  return folders;
}
