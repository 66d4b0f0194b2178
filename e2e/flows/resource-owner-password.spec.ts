import type {Page} from '@playwright/test';
import {expect, test} from '../fixtures';
import {basicAuthorization, catalogFrom, clientFor, expectFlowPage, postFormFromPage, verifyJwt} from './support';

const PAGE = 'flows/resource-owner-password';

async function openPage(sandboxPage: (path?: string) => Promise<Page>, issuer: string) {
  const page = await sandboxPage(PAGE);
  const catalog = await catalogFrom(page, issuer);
  const client = clientFor(catalog, 'trusted-first-party');
  const user = catalog.users[0]!;
  const calendar = catalog.apis.find((api) => api.id === 'calendar')!;
  return {page, catalog, client, user, calendar};
}

test.describe('the Resource Owner Password page, run against the sandbox', () => {
  test('describes the registered trusted first-party client', async ({sandboxPage, issuer, axe}) => {
    const {page, client} = await openPage(sandboxPage, issuer);
    await expectFlowPage(page, 'Resource Owner Password flow', client.client_id);
    expect(client).toMatchObject({
      client_id: 'trusted-first-party',
      type: 'confidential',
      grant_types: ['password', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
    });
    await axe();
  });

  test('exchanges a demo user’s password for access, ID and refresh tokens (client_secret_post)', async ({sandboxPage, issuer, axe}) => {
    const {page, client, user, calendar} = await openPage(sandboxPage, issuer);
    // RFC 6749 §4.3.2, the client authenticating in the body (§2.3.1), as the page's example does.
    const token = await postFormFromPage(page, `${issuer}/token`, {
      grant_type: 'password',
      username: user.username,
      password: user.password,
      scope: 'openid offline_access calendar:read',
      resource: calendar.identifier,
      client_id: client.client_id,
      client_secret: client.client_secret!,
    });
    expect(token.status).toBe(200);
    expect(token.headers['cache-control']).toBe('no-store');
    expect(token.body.token_type).toBe('Bearer');
    // offline_access was asked and the client may use refresh_token: a refresh token comes back.
    expect(token.body.refresh_token).toEqual(expect.any(String));

    const access = await verifyJwt(page, issuer, token.body.access_token as string);
    expect(access.header.typ).toBe('at+jwt');
    expect(access.payload).toMatchObject({iss: issuer, sub: user.sub, aud: calendar.identifier, client_id: client.client_id});
    const id = await verifyJwt(page, issuer, token.body.id_token as string);
    expect(id.payload).toMatchObject({iss: issuer, sub: user.sub, aud: client.client_id});

    // The refresh token works for this client (RFC 6749 §6).
    const refreshed = await postFormFromPage(page, `${issuer}/token`, {
      grant_type: 'refresh_token',
      refresh_token: token.body.refresh_token as string,
      client_id: client.client_id,
      client_secret: client.client_secret!,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).toEqual(expect.any(String));
    await axe();
  });

  test('issues no refresh token without offline_access', async ({sandboxPage, issuer}) => {
    const {page, client, user} = await openPage(sandboxPage, issuer);
    const token = await postFormFromPage(page, `${issuer}/token`, {
      grant_type: 'password',
      username: user.username,
      password: user.password,
      scope: 'openid profile',
      client_id: client.client_id,
      client_secret: client.client_secret!,
    });
    expect(token.status).toBe(200);
    expect(token.body).not.toHaveProperty('refresh_token');
    const id = await verifyJwt(page, issuer, token.body.id_token as string);
    expect(id.payload).toMatchObject({sub: user.sub, name: user.name});
  });

  test.describe('refusals', () => {
    // Chromium logs each refused request's HTTP 400; those refusals are the point of the tests.
    test.use({expectedConsoleErrors: [/status of 400/]});

    test('a wrong password is 400 invalid_grant', async ({sandboxPage, issuer}) => {
      const {page, client, user} = await openPage(sandboxPage, issuer);
      const refused = await postFormFromPage(page, `${issuer}/token`, {
        grant_type: 'password',
        username: user.username,
        password: `${user.password}-wrong`,
        scope: 'openid',
        client_id: client.client_id,
        client_secret: client.client_secret!,
      });
      // RFC 6749 §5.2: invalid resource owner credentials are invalid_grant.
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('invalid_grant');
      expect(refused.body).not.toHaveProperty('access_token');
    });

    test('a client not registered for the grant is 400 unauthorized_client', async ({sandboxPage, issuer}) => {
      const {page, catalog, user} = await openPage(sandboxPage, issuer);
      const machine = clientFor(catalog, 'machine-to-machine');
      expect(machine.grant_types).not.toContain('password');
      const refused = await postFormFromPage(
        page,
        `${issuer}/token`,
        {grant_type: 'password', username: user.username, password: user.password, scope: 'openid'},
        {authorization: basicAuthorization(machine.client_id, machine.client_secret!)},
      );
      // RFC 6749 §5.2: an authenticated client not authorized for this grant type.
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('unauthorized_client');
      expect(refused.body).not.toHaveProperty('access_token');
    });
  });
});
