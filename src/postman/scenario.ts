/**
 * What the collection's folders are written with: a request as data (the endpoint row it is an instance
 * of, what it sends, the status it expects and its tests), and the demo world's parts the requests use.
 */
import {
  DEVICE_CODE_GRANT_TYPE,
  type Catalog,
  type CatalogApi,
  type CatalogClient,
  type CatalogUser,
} from '../contract/catalog';
import {findRow, type EndpointsDescription, type Method} from '../sandbox/endpoints-description';
import {literal} from './scripts';

/** A request of the collection, before it is turned into Postman's shape. */
export interface RequestSpec {
  name: string;
  description: string;
  /** The `operationId` of the endpoint row this request is an instance of: its method, path and responses. */
  operation: string;
  /** The URL when it is not `{{issuer}}` + the row's path (a page reached by redirect, the origin). */
  url?: string;
  query?: [string, string][];
  basic?: [string, string];
  bearer?: string;
  form?: [string, string][];
  json?: unknown;
  headers?: [string, string][];
  /** Redirects are answers to check, not to follow (the authorization code flow). */
  noRedirects?: boolean;
  status: number;
  prerequest?: string[];
  tests: string[];
}

/** A folder of the collection: its requests run in order, later ones using what earlier ones saved. */
export interface Folder {
  name: string;
  description: string;
  requests: RequestSpec[];
}

export interface Scenario {
  description: EndpointsDescription;
  catalog: Catalog;
  issuer: string;
  /** A catalog URL with the issuer replaced by the `issuer` variable. */
  templated: (url: string) => string;
  /** A catalog URL relative to the issuer. */
  relative: (url: string) => string;
  /** The test script expression of an API's identifier, for the issuer the collection runs against. */
  audience: (api: CatalogApi) => string;
  /** The `operationId` of the row for `method` and `path`; throws when there is none. */
  operationAt: (method: Method, path: string, what: string) => string;
  m2m: CatalogClient;
  passwordClient: CatalogClient;
  native: CatalogClient;
  /** A public client of the Device Authorization Grant (RFC 8628), not a lab's. */
  device: CatalogClient;
  introspector: CatalogClient;
  user: CatalogUser;
  /** The scope of the user's tokens for UserInfo: an ID token and a refresh token too. */
  userinfoScope: string;
  m2mBasic: [string, string];
  passwordAuth: [string, string][];
  introspectorBasic: [string, string];
}

export function createScenario(description: EndpointsDescription, catalog: Catalog): Scenario {
  const issuer = catalog.issuer;
  if (description.issuer !== issuer)
    throw new Error('the endpoints description and the catalog are for different issuers');
  const relative = (url: string) => url.slice(issuer.length);
  const client = (find: (candidate: CatalogClient) => boolean, what: string) => {
    const found = catalog.clients.find(find);
    if (!found) throw new Error(`the catalog has no ${what} client`);
    return found;
  };
  const passwordClient = client(
    (candidate) => candidate.grant_types.includes('password') && candidate.grant_types.includes('refresh_token'),
    'password',
  );
  const user = catalog.users[0];
  if (!user) throw new Error('the catalog has no user');
  if (passwordClient.token_endpoint_auth_method !== 'client_secret_post')
    throw new Error('the password client is expected to use client_secret_post');
  return {
    description,
    catalog,
    issuer,
    templated: (url) => (url.startsWith(issuer) ? `{{issuer}}${url.slice(issuer.length)}` : url),
    relative,
    audience: (api) => `pm.variables.get('issuer') + ${literal(relative(api.identifier))}`,
    operationAt: (method, path, what) => {
      const row = findRow(description, method, path);
      if (!row) throw new Error(`${method} ${path} is in the ${what} but not in the endpoints description`);
      return row.operationId;
    },
    m2m: client((candidate) => candidate.grant_types.includes('client_credentials'), 'client_credentials'),
    passwordClient,
    native: client((candidate) => candidate.guide_case === 'native-app', 'native-app'),
    device: client(
      (candidate) =>
        candidate.grant_types.includes(DEVICE_CODE_GRANT_TYPE) &&
        candidate.grant_types.includes('refresh_token') &&
        candidate.type === 'public' &&
        !candidate.lab,
      'public device',
    ),
    introspector: client((candidate) => candidate.guide_case === 'resource-server', 'resource-server'),
    user,
    userinfoScope: 'openid profile email offline_access',
    m2mBasic: ['{{m2m_client_id}}', '{{m2m_client_secret}}'],
    passwordAuth: [
      ['client_id', '{{password_client_id}}'],
      ['client_secret', '{{password_client_secret}}'],
    ],
    introspectorBasic: ['{{resource_server_client_id}}', '{{resource_server_client_secret}}'],
  };
}
