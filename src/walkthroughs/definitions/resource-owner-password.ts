import * as flow from '@site/src/flows/resource-owner-password';
import {defineWalkthrough} from '../engine/define';
import {assertClientSecret} from '../engine/environment';
import {callApi} from '../steps/api';
import {discover} from '../steps/authorization';
import {tokenRequest} from '../steps/token-request';
import {inspectTokens} from '../steps/tokens';

/** The app's backend code, run in this page: the app's own sign-in form posts to it, and it trades the password for tokens. */
export default defineWalkthrough((env) => ({
  config: {
    issuer: env.issuer,
    clientId: env.client.client_id,
    clientSecret: assertClientSecret(env),
    scope: 'openid profile offline_access calendar:read',
    audience: env.api.identifier,
    allowInsecureRequests: env.allowInsecureRequests,
  } satisfies flow.PasswordGrantConfig,
}))
  .step(discover(flow.discover))
  .step(
    tokenRequest({
      grantType: 'password',
      title: "Sign in with the app's own form",
      why: "The user types their password into the app, not into the authorization server. The form posts it to the app's backend, which sends it with the client's own secret to the token endpoint (RFC 6749 §4.3.2).",
      action: 'Sign in',
      leadIn: [{from: 'browser', to: 'client', label: 'POST /login username + password'}],
      returns: 'access, ID and refresh tokens',
      form: {
        legend: 'Sign in to the app',
        intro:
          'Prefilled with a demo user. Type a wrong password to see the server refuse it with invalid_grant, then sign in again.',
        fields: ({env}) => [
          {
            name: 'username',
            label: 'Username',
            type: 'text',
            value: env.users[0]?.username ?? '',
            autoComplete: 'username',
          },
          {
            name: 'password',
            label: 'Password',
            type: 'password',
            value: env.users[0]?.password ?? '',
            autoComplete: 'current-password',
            hint: `Demo users: ${env.users.map((user) => `${user.username} / ${user.password}`).join(', ')}.`,
          },
        ],
      },
      request: (as, config, input) =>
        flow.requestToken(as, config, {username: input('username'), password: input('password')}),
      explain: (tokens) =>
        Boolean(tokens.refresh_token) &&
        'The backend now forgets the password. It keeps the tokens, and the refresh token gets new ones without asking the user again (RFC 6749 §4.3.3).',
    }),
  )
  .step(inspectTokens())
  .step(callApi(flow.callApi, {path: '/events'}))
  .build();
