import type {Page} from '@playwright/test';
import type {Catalog, CatalogApi, CatalogClient} from '../../src/sandbox/catalog';
import {expect, test} from '../fixtures';
import {basicAuthorization, catalogFrom, clientFor, expectFlowPage, fetchFromPage, postFormFromPage, verifyJwt} from './support';

const PAGE = 'flows/client-credentials';

async function openPage(sandboxPage: (path?: string) => Promise<Page>, issuer: string) {
  const page = await sandboxPage(PAGE);
  const catalog: Catalog = await catalogFrom(page, issuer);
  const client: CatalogClient = clientFor(catalog, 'machine-to-machine');
  const calendar: CatalogApi = catalog.apis.find((api) => api.id === 'calendar')!;
  return {page, client, calendar};
}

test.describe('the Client Credentials page, run against the sandbox', () => {
  test('describes the registered m2m client', async ({sandboxPage, issuer, axe}) => {
    const {page, client} = await openPage(sandboxPage, issuer);
    await expectFlowPage(page, 'Client Credentials flow', client.client_id);
    expect(client).toMatchObject({
      client_id: 'm2m-cron',
      type: 'confidential',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect(client.client_secret, 'a confidential client has a secret').toBeTruthy();
    await axe();
  });

  test('gets an RFC 9068 access token for the calendar API with client_secret_basic and calls the API', async ({
    sandboxPage,
    issuer,
    axe,
  }) => {
    const {page, client, calendar} = await openPage(sandboxPage, issuer);
    // RFC 6749 §4.4.2, with the target API named by RFC 8707 §2 `resource`.
    const token = await postFormFromPage(
      page,
      `${issuer}/token`,
      {grant_type: 'client_credentials', scope: 'calendar:read', resource: calendar.identifier},
      {authorization: basicAuthorization(client.client_id, client.client_secret!)},
    );
    expect(token.status).toBe(200);
    // RFC 6749 §5.1: token responses must not be cached.
    expect(token.headers['cache-control']).toBe('no-store');
    expect(token.body).toMatchObject({token_type: 'Bearer', scope: 'calendar:read'});
    expect(token.body.expires_in).toEqual(expect.any(Number));
    // RFC 6749 §4.4.3: no refresh token for this grant.
    expect(token.body).not.toHaveProperty('refresh_token');
    expect(token.body).not.toHaveProperty('id_token');

    const accessToken = token.body.access_token as string;
    const {header, payload} = await verifyJwt(page, issuer, accessToken);
    // RFC 9068 §2.1, §2.2: typed at+jwt; no user, so the client is the subject.
    expect(header.typ).toBe('at+jwt');
    expect(payload).toMatchObject({iss: issuer, aud: calendar.identifier, sub: client.client_id, client_id: client.client_id, scope: 'calendar:read'});
    expect(payload.exp as number).toBeGreaterThan(payload.iat as number);

    // RFC 6750 §2.1: the calendar API accepts the token as a bearer credential.
    const events = await fetchFromPage(page, `${calendar.base_url}/events`, {headers: {authorization: `Bearer ${accessToken}`}});
    expect(events.status).toBe(200);
    expect(events.body).toMatchObject({caller: {sub: client.client_id, client_id: client.client_id}});
    expect(Array.isArray(events.body.events)).toBe(true);
    await axe();
  });

  test.describe('with a wrong secret', () => {
    // Chromium logs the refused request's HTTP 401; that refusal is the point of the test.
    test.use({expectedConsoleErrors: [/status of 401/]});

    test('is refused with 401 invalid_client and a Basic challenge', async ({sandboxPage, issuer}) => {
      const {page, client, calendar} = await openPage(sandboxPage, issuer);
      const refused = await postFormFromPage(
        page,
        `${issuer}/token`,
        {grant_type: 'client_credentials', resource: calendar.identifier},
        {authorization: basicAuthorization(client.client_id, `${client.client_secret}-wrong`)},
      );
      // RFC 6749 §5.2: failed Basic authentication is 401 with WWW-Authenticate.
      expect(refused.status).toBe(401);
      expect(refused.body.error).toBe('invalid_client');
      expect(refused.body).not.toHaveProperty('access_token');
      expect(refused.headers['www-authenticate']).toMatch(/^Basic\b/i);
    });
  });
});
