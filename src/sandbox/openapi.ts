/**
 * An OpenAPI 3.1 description of the sandbox, built from its issuer and catalog so every URL matches the
 * transport that serves it (`GET {issuer}/openapi.json`). Web-standard only, like the rest of the sandbox.
 */
import type {MediaType, OpenApiDocument, Operation, Parameter, PathItem, Response, Schema} from '../contract/openapi';
import type {ApiOperation, Catalog} from './catalog';
import {GRANT_TYPES} from './grants/registry';
import {ATTEMPT_WINDOW, MAX_FAILURES_PER_CLIENT, MAX_FAILURES_PER_USER} from './checks/password_attempts';

export type {OpenApiDocument, Operation, PathItem, Schema} from '../contract/openapi';

const rfc = (number: number, section: string) => `[RFC ${number} §${section}](https://www.rfc-editor.org/rfc/rfc${number}#section-${section})`;
const oidcCore = (section: string, anchor: string) => `[OpenID Connect Core §${section}](https://openid.net/specs/openid-connect-core-1_0.html#${anchor})`;

const ref = (name: string) => ({$ref: `#/components/schemas/${name}`});
const json = (schema: Schema, examples?: MediaType['examples']): Record<string, MediaType> => ({
  'application/json': examples ? {schema, examples} : {schema},
});
const form = (schema: Schema, examples?: MediaType['examples']): Record<string, MediaType> => ({
  'application/x-www-form-urlencoded': examples ? {schema, examples} : {schema},
});
const string = (description: string, extra: Schema = {}): Schema => ({type: 'string', description, ...extra});

/** An error response `{error, error_description}` whose `error` is one of `codes`. */
function oauthError(description: string, codes: string[], headers?: Response['headers']): Response {
  const schema: Schema = {
    allOf: [ref('OAuthError'), {properties: {error: {enum: codes}}}],
  };
  return {description, ...(headers ? {headers} : {}), content: json(schema)};
}

const NO_STORE = {$ref: '#/components/headers/CacheControlNoStore'};
const PRAGMA = {$ref: '#/components/headers/PragmaNoCache'};
const BASIC_CHALLENGE = {$ref: '#/components/headers/BasicChallenge'};
const BEARER_CHALLENGE = {$ref: '#/components/headers/BearerChallenge'};

/** The token, revocation and introspection endpoints' 401 (RFC 6749 §5.2). */
const invalidClient = oauthError(
  `Client authentication failed: \`invalid_client\`. When the client used HTTP Basic, the response carries a \`WWW-Authenticate: Basic\` challenge (${rfc(6749, '5.2')}).`,
  ['invalid_client'],
  {'WWW-Authenticate': BASIC_CHALLENGE, 'Cache-Control': NO_STORE},
);

/**
 * The answers of a sandbox whose storage failed (in the browser: IndexedDB), with the codes RFC 6749
 * §4.1.2.1 names for the server's own failures.
 */
const storageErrors: Record<string, Response> = {
  '500': oauthError(
    `The sandbox could not save its state because the browser's storage for this site is full: \`server_error\` (${rfc(6749, '4.1.2.1')}). Free some space, then reset the sandbox.`,
    ['server_error'],
  ),
  '503': oauthError(
    `A storage transaction was cut short (the reader cleared site data, another worker version took over): \`temporarily_unavailable\` (${rfc(6749, '4.1.2.1')}). Try again after \`Retry-After\`.`,
    ['temporarily_unavailable'],
    {'Retry-After': {description: `Seconds to wait before trying again (${rfc(9110, '10.2.3')}).`, schema: {type: 'string'}}},
  ),
};

/** A resource server's RFC 6750 §3.1 errors, for a bearer-protected operation needing `scope`. */
function bearerErrors(scope: string): Record<string, Response> {
  return {
    '400': oauthError(`The request is malformed, for example the token is sent in more than one place: \`invalid_request\` (${rfc(6750, '3.1')}).`, ['invalid_request']),
    '401': {
      description: `No access token, or one that is expired, revoked, malformed or for another audience: \`invalid_token\` (${rfc(6750, '3.1')}). Without any token the challenge carries no error code and the body only a description (${rfc(6750, '3')}).`,
      headers: {'WWW-Authenticate': BEARER_CHALLENGE},
      content: json({allOf: [ref('OAuthError'), {properties: {error: {enum: ['invalid_token']}}}]}),
    },
    '403': {
      description: `The access token lacks the \`${scope}\` scope: \`insufficient_scope\`, and the challenge names the scope needed (${rfc(6750, '3.1')}).`,
      headers: {'WWW-Authenticate': BEARER_CHALLENGE},
      content: json({allOf: [ref('OAuthError'), {properties: {error: {enum: ['insufficient_scope']}}}]}),
    },
  };
}

const operationId = (method: string, path: string) =>
  method.toLowerCase() +
  path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');

/** The demo APIs' response bodies, by operation (the catalog gives methods, URLs and scopes; shapes live here). */
function apiOperationSchemas(operation: ApiOperation): {status: '200' | '201'; schema: Schema; body?: Schema} {
  const caller: Schema = {
    type: 'object',
    required: ['sub', 'client_id'],
    properties: {sub: string('The access token\'s subject: a user, or the client itself for client_credentials (RFC 9068 §2.2).'), client_id: string('The client the token was issued to.')},
  };
  const path = new URL(operation.url).pathname;
  if (path.endsWith('/events') && operation.method === 'POST') {
    return {
      status: '201',
      schema: {type: 'object', required: ['caller', 'event'], properties: {caller, event: ref('CalendarEvent')}},
      body: {
        type: 'object',
        required: ['title', 'start'],
        properties: {title: string('The event\'s title.', {maxLength: 200}), start: string('When it starts, an ISO 8601 date-time.', {format: 'date-time'})},
      },
    };
  }
  if (path.endsWith('/events')) {
    return {status: '200', schema: {type: 'object', required: ['caller', 'events'], properties: {caller, events: {type: 'array', items: ref('CalendarEvent')}}}};
  }
  if (path.endsWith('/people')) {
    return {
      status: '200',
      schema: {
        type: 'object',
        required: ['caller', 'people'],
        properties: {caller, people: {type: 'array', items: {type: 'object', required: ['id', 'name'], properties: {id: {type: 'string'}, name: {type: 'string'}, email: {type: 'string'}}}}},
      },
    };
  }
  return {status: '200', schema: {type: 'object'}};
}

/** Builds the description for an issuer (no trailing slash) and its catalog. */
export function buildOpenApi(issuer: string, catalog: Catalog): OpenApiDocument {
  const issuerUrl = new URL(issuer);
  const base = issuerUrl.pathname.replace(/\/+$/, '');
  const relative = (url: string) => (url.startsWith(issuer) ? url.slice(issuer.length) || '/' : new URL(url).pathname);
  const apiScopes = catalog.apis.flatMap((api) => api.scopes);
  const allScopes = Object.fromEntries([...catalog.oidc_scopes, ...apiScopes].map((scope) => [scope.value, scope.description]));
  const apiScopeMap = Object.fromEntries(apiScopes.map((scope) => [scope.value, scope.description]));
  const apiIdentifiers = catalog.apis.map((api) => api.identifier);
  const m2m = catalog.clients.find((client) => client.grant_types.includes('client_credentials'));
  const firstApi = catalog.apis[0];
  const PUBLIC: Record<string, string[]>[] = [];
  const CLIENT_AUTH: Record<string, string[]>[] = [{clientSecretBasic: []}, {}];

  const metadata: Operation = {
    operationId: 'getOpenidConfiguration',
    summary: 'OpenID Connect discovery document',
    description: `The server's metadata: its issuer, every endpoint URL and what it supports (OpenID Connect Discovery §3 and §4, ${rfc(8414, '2')}).`,
    tags: ['Discovery'],
    security: PUBLIC,
    responses: {'200': {description: 'The metadata.', content: json(ref('ServerMetadata'))}},
  };

  const paths: Record<string, PathItem> = {
    '/.well-known/openid-configuration': {get: metadata},
    '/.well-known/oauth-authorization-server': {
      get: {
        ...metadata,
        operationId: 'getOauthAuthorizationServer',
        summary: 'OAuth 2.0 authorization server metadata',
        description: `The same metadata at the RFC 8414 well-known URI, relative to the issuer (${rfc(8414, '3')}).`,
      },
    },
    '/jwks': {
      get: {
        operationId: 'getJwks',
        summary: 'Signing keys (JWK Set)',
        description: `The public keys that verify ID tokens and JWT access tokens (${rfc(7517, '5')}, ${rfc(9068, '4')}).`,
        tags: ['Discovery'],
        security: PUBLIC,
        responses: {'200': {description: 'A JWK Set.', content: json(ref('JwkSet'))}},
      },
    },
    '/authorize': {
      get: authorizeOperation('get'),
      post: authorizeOperation('post'),
    },
    '/interaction/{id}/login': interactionPage('login', 'Sign-in page', 'The sandbox\'s own sign-in form, reached by redirect from `/authorize`; posting it continues the authorization request.'),
    '/interaction/{id}/consent': interactionPage('consent', 'Consent page', 'The sandbox\'s own consent form, reached by redirect from `/authorize` when the client asks for scopes not yet granted.'),
    '/token': {post: tokenOperation()},
    '/userinfo': {get: userinfoOperation('get'), post: userinfoOperation('post')},
    '/revoke': {
      post: {
        operationId: 'postRevoke',
        summary: 'Revoke a token',
        description: `Token revocation (${rfc(7009, '2')}). Revoking a refresh token revokes its whole grant, including the access tokens issued from it (${rfc(7009, '2.1')}). An unknown token still gets 200 (${rfc(7009, '2.2')}). A token issued to another client is refused with \`invalid_request\` when the caller authenticated (${rfc(7009, '2.1')}); a public client, which proves no identity, gets the unknown token's 200 and nothing is revoked.`,
        tags: ['Authorization server'],
        security: CLIENT_AUTH,
        requestBody: {
          required: true,
          content: form(
            {
              type: 'object',
              required: ['token'],
              properties: {
                token: string('The access or refresh token to revoke.'),
                token_type_hint: string(`A hint about the token's type (${rfc(7009, '2.1')}).`, {enum: ['access_token', 'refresh_token']}),
                ...clientBodyAuth(),
              },
            },
            {refresh: {summary: 'Revoke a refresh token (public client)', value: {token: 'the-refresh-token', token_type_hint: 'refresh_token', client_id: 'spa'}}},
          ),
        },
        responses: {
          '200': {description: `Revoked, or the token was unknown (${rfc(7009, '2.2')}). No body.`, headers: {'Cache-Control': NO_STORE}},
          '400': oauthError(`\`invalid_request\` (${rfc(6749, '5.2')}), also for a token issued to another client (${rfc(7009, '2.1')}), or \`unsupported_token_type\` for an unknown \`token_type_hint\` (${rfc(7009, '2.2.1')}).`, ['invalid_request', 'unsupported_token_type']),
          '401': invalidClient,
        },
      },
    },
    '/introspect': {
      post: {
        operationId: 'postIntrospect',
        summary: 'Introspect a token',
        description: `Token introspection for protected resources (${rfc(7662, '2')}): confidential clients only (${rfc(7662, '2.1')}). Anything unknown, expired or revoked is \`{"active": false}\` (${rfc(7662, '2.2')}), and so is a token the caller may not ask about (${rfc(7662, '4')}): a client may introspect the tokens issued to it, and an API's resource server (\`calendar-api\` for the Calendar API) the tokens whose \`aud\` names its API.`,
        tags: ['Authorization server'],
        security: [{clientSecretBasic: []}, {}],
        requestBody: {
          required: true,
          content: form(
            {
              type: 'object',
              required: ['token'],
              properties: {
                token: string('The token to ask about.'),
                token_type_hint: string(`Only speeds up the lookup; both kinds are tried (${rfc(7662, '2.1')}).`, {enum: ['access_token', 'refresh_token']}),
                ...clientBodyAuth(),
              },
            },
            {access: {summary: 'Introspect an access token (with HTTP Basic client authentication)', value: {token: 'the-access-token'}}},
          ),
        },
        responses: {
          '200': {description: `The token's state (${rfc(7662, '2.2')}).`, headers: {'Cache-Control': NO_STORE}, content: json(ref('IntrospectionResponse'))},
          '400': oauthError(`\`invalid_request\` (${rfc(6749, '5.2')}).`, ['invalid_request']),
          '401': invalidClient,
        },
      },
    },
    '/catalog': {
      get: {
        operationId: 'getCatalog',
        summary: 'The demo world',
        description: 'The registered clients (with their secrets), the users (with their passwords) and the APIs with their identifiers, scopes and operations. Sandbox only: everything in it is public on purpose.',
        tags: ['Sandbox'],
        security: PUBLIC,
        responses: {'200': {description: 'The catalog.', content: json(ref('Catalog'))}},
      },
    },
    '/reset': {
      post: {
        operationId: 'postReset',
        summary: 'Reset the sandbox',
        description:
          'Wipes sessions, codes, tokens, consents and signing keys. Needs `Sandbox-Reset: confirm`, which no HTML form can send; refused for a request the browser marks as cross-site (`Sec-Fetch-Site: cross-site`). Sandbox only.',
        tags: ['Sandbox'],
        security: PUBLIC,
        parameters: [
          {name: 'Sandbox-Reset', in: 'header', required: true, description: 'Must be `confirm`.', schema: {type: 'string', enum: ['confirm']}},
        ],
        responses: {
          '200': {description: 'Reset.', content: json({type: 'object', required: ['reset'], properties: {reset: {const: true}}})},
          '403': oauthError('A cross-site request, or no `Sandbox-Reset: confirm`: `access_denied`.', ['access_denied']),
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'getOpenapi',
        summary: 'This description',
        description: 'The OpenAPI 3.1 description of the sandbox, for this issuer.',
        tags: ['Sandbox'],
        security: PUBLIC,
        responses: {'200': {description: 'An OpenAPI 3.1 document.', content: json({type: 'object', required: ['openapi'], properties: {openapi: {type: 'string'}}})}},
      },
    },
  };

  if (base) {
    // RFC 8414 §3.1: for an issuer with a path, the well-known segment goes first, at the origin.
    paths[`/.well-known/oauth-authorization-server${base}`] = {
      servers: [{url: issuerUrl.origin, description: 'The issuer\'s origin'}],
      get: {
        ...metadata,
        operationId: 'getOauthAuthorizationServerAtOrigin',
        summary: 'OAuth 2.0 authorization server metadata (path-inserted URL)',
        description: `The metadata at the URL ${rfc(8414, '3.1')} builds for an issuer with a path: the well-known segment first, then the issuer's path. Served by the Node sandbox; a Service Worker scoped under the issuer's parent never sees this URL.`,
      },
    };
  }

  for (const api of catalog.apis) {
    paths[relative(api.base_url)] = {
      get: {
        operationId: operationId('get', `${api.id} index`),
        summary: `${api.name}: its operations`,
        description: `What the ${api.name} offers, each operation with the scope its access token needs. Public; the operations themselves need a bearer token (${rfc(6750, '2.1')}).`,
        tags: [api.name],
        security: PUBLIC,
        responses: {
          '200': {
            description: 'The operations.',
            content: json({
              type: 'object',
              required: ['name', 'identifier', 'scopes', 'operations'],
              properties: {name: {type: 'string'}, identifier: {type: 'string', format: 'uri'}, scopes: {type: 'array', items: ref('ScopeDescription')}, operations: {type: 'array', items: ref('ApiOperation')}},
            }),
          },
        },
      },
    };
    for (const operation of api.operations) {
      const path = relative(operation.url);
      const shapes = apiOperationSchemas(operation);
      const method = operation.method === 'GET' ? 'get' : 'post';
      const item: Operation = {
        operationId: operationId(method, `${api.id} ${path.split('/').pop()}`),
        summary: `${api.name}: ${operation.description}`,
        description: `${operation.description}. Needs an access token for the audience \`${api.identifier}\` with the \`${operation.scope}\` scope, sent as \`Authorization: Bearer\` (${rfc(6750, '2.1')}).`,
        tags: [api.name],
        security: [{bearer: [operation.scope]}, {oauth2: [operation.scope]}],
        ...(shapes.body
          ? {
              requestBody: {
                required: true,
                content: json(shapes.body, {event: {summary: 'An event', value: {title: 'Tea party', start: '2030-05-04T16:00:00Z'}}}),
              },
            }
          : {}),
        responses: {[shapes.status]: {description: shapes.status === '201' ? 'Created.' : 'The result.', content: json(shapes.schema)}, ...bearerErrors(operation.scope)},
      };
      paths[path] = {...paths[path], [method]: item};
    }
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'OAuth 2.0 sandbox',
      version: '1.0.0',
      summary: 'A sandbox OAuth 2.0 and OpenID Connect authorization server with two demo APIs.',
      description: `The sandbox behind "OAuth 2.0 Flows, Live", for the issuer \`${issuer}\`. Paths are relative to the issuer. Errors are JSON \`{error, error_description}\` with the status the RFCs name (${rfc(6749, '5.2')}, ${rfc(6750, '3.1')}). The demo clients, users and their secrets are at \`${issuer}/catalog\`.`,
      license: {name: 'MIT', identifier: 'MIT'},
    },
    servers: [{url: issuer, description: 'The issuer'}],
    tags: [
      {name: 'Discovery', description: 'Server metadata and signing keys.'},
      {name: 'Authorization server', description: 'The OAuth 2.0 and OpenID Connect endpoints.'},
      {name: 'Sandbox', description: 'Sandbox-only endpoints: the demo world, reset, this description.'},
      ...catalog.apis.map((api) => ({name: api.name, description: `A demo resource server for the audience \`${api.identifier}\`.`})),
    ],
    paths,
    components: {
      schemas: schemas(),
      securitySchemes: {
        clientSecretBasic: {
          type: 'http',
          scheme: 'basic',
          description: `Client authentication with the client_id and client_secret, each form-urlencoded first (client_secret_basic, ${rfc(6749, '2.3.1')}). Public clients send only \`client_id\` in the body, and client_secret_post clients send \`client_id\` and \`client_secret\` there instead.`,
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: `An access token in the \`Authorization: Bearer\` header (${rfc(6750, '2.1')}), a JWT (${rfc(9068, '2')}) for the API named by its \`aud\`.`,
        },
        oauth2: {
          type: 'oauth2',
          description: `The flows this server supports (${rfc(6749, '4')}). Public clients add PKCE with S256 (${rfc(7636, '4')}).`,
          flows: {
            authorizationCode: {authorizationUrl: `${issuer}/authorize`, tokenUrl: `${issuer}/token`, refreshUrl: `${issuer}/token`, scopes: allScopes},
            clientCredentials: {tokenUrl: `${issuer}/token`, scopes: apiScopeMap},
            password: {tokenUrl: `${issuer}/token`, refreshUrl: `${issuer}/token`, scopes: allScopes},
          },
        },
      },
      headers: {
        CacheControlNoStore: {description: `\`no-store\`: responses with tokens or credentials must not be cached (${rfc(6749, '5.1')}).`, required: true, schema: {type: 'string', const: 'no-store'}},
        PragmaNoCache: {description: `\`no-cache\`, for HTTP/1.0 caches (${rfc(6749, '5.1')}).`, schema: {type: 'string', const: 'no-cache'}},
        BasicChallenge: {description: `\`Basic realm="…"\` when the client authenticated with HTTP Basic (${rfc(6749, '5.2')}).`, schema: {type: 'string'}},
        BearerChallenge: {description: `\`Bearer realm="…"\` with \`error\`, \`error_description\` and, for insufficient_scope, \`scope\` (${rfc(6750, '3')}).`, required: true, schema: {type: 'string'}},
      },
    },
  };

  function clientBodyAuth(): Record<string, Schema> {
    return {
      client_id: string(`The client, when it does not use HTTP Basic: a public client (${rfc(6749, '2.1')}) or a client_secret_post client (${rfc(6749, '2.3.1')}).`),
      client_secret: string(`client_secret_post: the secret in the body (${rfc(6749, '2.3.1')}). Never together with HTTP Basic (${rfc(6749, '2.3')}).`),
    };
  }

  function targetProperties(): Record<string, Schema> {
    return {
      scope: string(`Space-separated scopes (${rfc(6749, '3.3')}).`, {examples: [Object.keys(allScopes).join(' ')]}),
      resource: string(`The API the token is for (${rfc(8707, '2')}).`, {enum: apiIdentifiers}),
      audience: string('The API the token is for, as an alternative to `resource`; one of the two, not both.', {enum: apiIdentifiers}),
    };
  }

  function authorizeOperation(method: 'get' | 'post'): Operation {
    const parameters: [string, boolean, string, Schema?][] = [
      ['response_type', true, `\`code\` (${rfc(6749, '4.1.1')}), or \`id_token\` / \`id_token token\` for the implicit flow (${oidcCore('3.2.2.1', 'ImplicitAuthRequest')}). \`token\` (${rfc(6749, '4.2.1')}) is not offered: every client gets \`unsupported_response_type\` for it but one security-lab client, \`lab-spa-implicit\`, whose lab shows why (${rfc(9700, '2.1.2')}).`, {enum: ['code', 'id_token', 'id_token token']}],
      ['client_id', true, `The client (${rfc(6749, '2.2')}). An unknown client is shown the error page, never redirected.`],
      ['redirect_uri', true, `Must match a registered redirect URI exactly; loopback URIs on any port (${rfc(8252, '7.3')}). Required by the sandbox for every client (${oidcCore('3.1.2.1', 'AuthRequest')}).`, {format: 'uri'}],
      ['scope', false, `Space-separated scopes (${rfc(6749, '3.3')}).`],
      ['state', false, `Opaque value returned unchanged, against CSRF (${rfc(6749, '4.1.1')}, ${rfc(9700, '2.1')}).`],
      ['code_challenge', false, `PKCE challenge, required with \`response_type=code\` for every client, public or confidential (${rfc(7636, '4.3')}, ${rfc(9700, '2.1.1')}).`, {pattern: '^[A-Za-z0-9_-]{43}$'}],
      ['code_challenge_method', false, `Only \`S256\` (${rfc(7636, '4.3')}).`, {enum: ['S256']}],
      ['response_mode', false, 'How the response is returned: `query`, `fragment` or `form_post` (OAuth 2.0 Multiple Response Type Encoding Practices, Form Post Response Mode).', {enum: ['query', 'fragment', 'form_post']}],
      ['nonce', false, `Bound into the ID token, required for the implicit flow (${oidcCore('3.1.2.1', 'AuthRequest')}).`],
      ['prompt', false, `\`none\`, \`login\` or \`consent\` (${oidcCore('3.1.2.1', 'AuthRequest')}).`, {enum: ['none', 'login', 'consent']}],
      ['max_age', false, `Maximum authentication age in seconds (${oidcCore('3.1.2.1', 'AuthRequest')}).`, {type: 'integer', minimum: 0}],
      ['resource', false, `The API the access token is for (${rfc(8707, '2')}).`, {enum: apiIdentifiers}],
      ['audience', false, 'The API the access token is for, as an alternative to `resource`.', {enum: apiIdentifiers}],
    ];
    const properties = Object.fromEntries(parameters.map(([name, , description, schema]) => [name, {type: 'string', description, ...schema}]));
    const redirect: Response = {
      description: `A redirect: to the sandbox's sign-in or consent page, or to the client's \`redirect_uri\` with the authorization response (\`code\`, \`state\`, \`iss\`, ${rfc(6749, '4.1.2')}, ${rfc(9207, '2')}) or an error (\`error\`, \`error_description\`, \`state\`, \`iss\`; codes from ${rfc(6749, '4.1.2.1')}, ${rfc(8707, '2')} and ${oidcCore('3.1.2.6', 'AuthError')}).`,
      headers: {Location: {description: 'Where the browser goes next.', required: true, schema: {type: 'string', format: 'uri'}}},
    };
    return {
      operationId: `${method}Authorize`,
      summary: method === 'get' ? 'Authorization request' : 'Authorization request (form post)',
      description: `The authorization endpoint (${rfc(6749, '3.1')}, ${oidcCore('3.1.2', 'AuthorizationEndpoint')}${method === 'post' ? `; POST per ${oidcCore('3.1.2.1', 'AuthRequest')}` : ''}). Errors are sent back to the client, except when the client or its redirect URI cannot be trusted: then the sandbox shows its own error page (${rfc(6749, '4.1.2.1')}).`,
      tags: ['Authorization server'],
      security: PUBLIC,
      ...(method === 'get'
        ? {
            parameters: parameters.map(([name, required, description, schema]) => ({
              name,
              in: 'query' as const,
              ...(required ? {required: true} : {}),
              description,
              schema: {type: 'string', ...schema},
            })),
          }
        : {
            requestBody: {
              required: true,
              content: form({type: 'object', required: parameters.filter(([, required]) => required).map(([name]) => name), properties}),
            },
          }),
      responses: {
        '200': {description: 'A page: for `response_mode=form_post`, the self-submitting form that posts the response to the client.', content: {'text/html': {schema: {type: 'string'}}}},
        '302': redirect,
        '303': {...redirect, description: `${redirect.description} A 303 after a POST, so the browser follows with GET.`},
        '400': {
          description: `The sandbox's own error page, for an unknown \`client_id\` or a \`redirect_uri\` that is not registered: never redirected (${rfc(6749, '4.1.2.1')}, ${rfc(9700, '4.1')}).`,
          content: {'text/html': {schema: {type: 'string'}}},
        },
      },
    };
  }

  function interactionPage(kind: string, summary: string, description: string): PathItem {
    const parameters: Parameter[] = [{name: 'id', in: 'path', required: true, description: 'The pending authorization request.', schema: {type: 'string'}}];
    const page: Response = {description: 'The page.', content: {'text/html': {schema: {type: 'string'}}}};
    const notFound: Response = {description: 'Unknown or expired interaction: an error page.', content: {'text/html': {schema: {type: 'string'}}}};
    return {
      get: {operationId: `get${kind[0]!.toUpperCase()}${kind.slice(1)}Page`, summary, description, tags: ['Authorization server'], security: PUBLIC, parameters, responses: {'200': page, '400': notFound}},
      post: {
        operationId: `post${kind[0]!.toUpperCase()}${kind.slice(1)}Page`,
        summary: `${summary}: submit`,
        description: `${description} The form carries a CSRF token.`,
        tags: ['Authorization server'],
        security: PUBLIC,
        parameters,
        requestBody: {required: true, content: form({type: 'object'})},
        responses: {'200': page, '303': {description: 'On to the next step, or back to the client.', headers: {Location: {description: 'The next URL.', required: true, schema: {type: 'string'}}}}, '400': notFound},
      },
    };
  }

  function tokenOperation(): Operation {
    // One request body per registered grant (RFC 6749 §4, §6): the list the token endpoint dispatches on.
    const grantNames = GRANT_TYPES;
    return {
      operationId: 'postToken',
      summary: 'Token request',
      description: `The token endpoint (${rfc(6749, '3.2')}): one form-encoded body per grant. Clients authenticate with HTTP Basic (client_secret_basic), \`client_id\` and \`client_secret\` in the body (client_secret_post), or \`client_id\` alone for public clients (${rfc(6749, '2.3')}, ${rfc(6749, '3.2.1')}). Parameters must not repeat (${rfc(6749, '3.1')}).`,
      tags: ['Authorization server'],
      security: CLIENT_AUTH,
      requestBody: {
        required: true,
        content: form(
          {
            oneOf: grantNames.map((grant) => ref(`TokenRequest_${grant}`)),
            discriminator: {propertyName: 'grant_type', mapping: Object.fromEntries(grantNames.map((grant) => [grant, `#/components/schemas/TokenRequest_${grant}`]))},
          },
          {
            client_credentials: {
              summary: 'client_credentials for an API',
              description: m2m ? `Sent by \`${m2m.client_id}\` with HTTP Basic client authentication.` : 'Sent with HTTP Basic client authentication.',
              value: {grant_type: 'client_credentials', resource: firstApi?.identifier ?? issuer, scope: firstApi?.scopes[0]?.value ?? ''},
            },
            authorization_code: {
              summary: 'authorization_code with PKCE (public client)',
              value: {grant_type: 'authorization_code', code: 'the-code', redirect_uri: 'http://127.0.0.1:8400/callback', code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', client_id: 'native-app'},
            },
            refresh_token: {summary: 'refresh_token (public client)', value: {grant_type: 'refresh_token', refresh_token: 'the-refresh-token', client_id: 'spa'}},
          },
        ),
      },
      responses: {
        '200': {description: `Tokens (${rfc(6749, '5.1')}; ID token per ${oidcCore('3.1.3.3', 'TokenResponse')}).`, headers: {'Cache-Control': NO_STORE, Pragma: PRAGMA}, content: json(ref('TokenResponse'))},
        '400': oauthError(`The request failed (${rfc(6749, '5.2')}; \`invalid_target\` per ${rfc(8707, '2')}).`, ['invalid_request', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'invalid_target'], {'Cache-Control': {description: '`no-store` on `invalid_grant`, whose request carried a credential.', schema: {type: 'string', const: 'no-store'}}}),
        '401': invalidClient,
        ...storageErrors,
      },
    };
  }

  function userinfoOperation(method: 'get' | 'post'): Operation {
    return {
      operationId: `${method}Userinfo`,
      summary: method === 'get' ? 'UserInfo' : 'UserInfo (form post)',
      description: `Claims about the user (${oidcCore('5.3', 'UserInfo')}), per granted scope (${oidcCore('5.4', 'ScopeClaims')}). Needs an access token with the \`openid\` scope${method === 'post' ? `, in the \`Authorization\` header or as \`access_token\` in a form body (${rfc(6750, '2.2')}), not both` : ''}.`,
      tags: ['Authorization server'],
      security: [{bearer: ['openid']}, {oauth2: ['openid']}],
      ...(method === 'post'
        ? {requestBody: {required: false, content: form({type: 'object', properties: {access_token: string(`The access token in the body (${rfc(6750, '2.2')}).`)}})}}
        : {}),
      responses: {'200': {description: 'The claims.', headers: {'Cache-Control': NO_STORE}, content: json(ref('UserInfo'))}, ...bearerErrors('openid')},
    };
  }

  function schemas(): Record<string, Schema> {
    const tokenRequest = (grant: string, description: string, required: string[], properties: Record<string, Schema>): Schema => ({
      type: 'object',
      description,
      required: ['grant_type', ...required],
      properties: {grant_type: {type: 'string', const: grant}, ...properties, ...clientBodyAuth()},
    });
    const scopeOnly = {scope: targetProperties().scope!};
    return {
      OAuthError: {
        type: 'object',
        description: `An error response (${rfc(6749, '5.2')}). \`error_description\` is ASCII without \`"\` or \`\\\`.`,
        properties: {error: {type: 'string'}, error_description: {type: 'string', pattern: '^[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]*$'}},
        required: ['error_description'],
      },
      TokenRequest_authorization_code: tokenRequest('authorization_code', `Exchange an authorization code (${rfc(6749, '4.1.3')}) with its PKCE verifier (${rfc(7636, '4.5')}).`, ['code', 'redirect_uri'], {
        code: string('The authorization code, single use, valid 60 seconds.'),
        redirect_uri: string('Identical to the one in the authorization request.', {format: 'uri'}),
        code_verifier: string(`The PKCE verifier, required when the request had a challenge (${rfc(7636, '4.5')}).`, {pattern: '^[A-Za-z0-9._~-]{43,128}$'}),
        ...targetProperties(),
      }),
      TokenRequest_client_credentials: tokenRequest('client_credentials', `A confidential client's own token for one API (${rfc(6749, '4.4.2')}); no refresh token (${rfc(6749, '4.4.3')}).`, [], targetProperties()),
      TokenRequest_password: tokenRequest('password', `The resource owner password credentials grant (${rfc(6749, '4.3.2')}); ${rfc(9700, '2.4')} says not to use it. After ${MAX_FAILURES_PER_USER} wrong passwords for a user, or ${MAX_FAILURES_PER_CLIENT} through a client, within ${ATTEMPT_WINDOW / 60} minutes, every attempt for that user or client is \`invalid_grant\` until those minutes are over, the right password too (${rfc(6749, '10.10')}).`, ['username', 'password'], {
        username: string('The user\'s username.'),
        password: string('The user\'s password.', {format: 'password'}),
        ...targetProperties(),
      }),
      TokenRequest_refresh_token: tokenRequest('refresh_token', `Refresh (${rfc(6749, '6')}); refresh tokens rotate (${rfc(9700, '4.14.2')}).`, ['refresh_token'], {
        refresh_token: string('The refresh token.'),
        ...scopeOnly,
        resource: targetProperties().resource!,
        audience: targetProperties().audience!,
      }),
      TokenResponse: {
        type: 'object',
        description: `A successful token response (${rfc(6749, '5.1')}).`,
        required: ['access_token', 'token_type', 'expires_in'],
        properties: {
          access_token: string(`A JWT access token (${rfc(9068, '2')}).`),
          token_type: {type: 'string', const: 'Bearer'},
          expires_in: {type: 'integer', minimum: 1},
          scope: string(`The granted scopes (${rfc(6749, '3.3')}).`),
          refresh_token: string(`With \`offline_access\` for clients allowed refresh tokens; never for client_credentials (${rfc(6749, '4.4.3')}).`),
          id_token: string(`When \`openid\` was granted (${oidcCore('3.1.3.3', 'TokenResponse')}).`),
        },
      },
      IntrospectionResponse: {
        type: 'object',
        description: `${rfc(7662, '2.2')}.`,
        required: ['active'],
        properties: {
          active: {type: 'boolean'},
          scope: {type: 'string'},
          client_id: {type: 'string'},
          username: {type: 'string'},
          sub: {type: 'string'},
          token_type: {type: 'string'},
          exp: {type: 'integer'},
          iat: {type: 'integer'},
          aud: {
            description: `The API's identifier; with the UserInfo endpoint beside it when the token came from an OpenID request (${oidcCore('5.3', 'UserInfo')}).`,
            oneOf: [{type: 'string'}, {type: 'array', items: {type: 'string'}, minItems: 2}],
          },
          iss: {type: 'string'},
          jti: {type: 'string'},
        },
      },
      UserInfo: {
        type: 'object',
        description: `${oidcCore('5.3.2', 'UserInfoResponse')}.`,
        required: ['sub'],
        properties: {
          sub: {type: 'string'},
          name: {type: 'string'},
          given_name: {type: 'string'},
          family_name: {type: 'string'},
          preferred_username: {type: 'string'},
          email: {type: 'string'},
          email_verified: {type: 'boolean'},
        },
      },
      ServerMetadata: {
        type: 'object',
        description: `${rfc(8414, '2')} and OpenID Connect Discovery §3.`,
        required: ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'response_types_supported'],
        properties: {
          issuer: {type: 'string', const: issuer},
          authorization_endpoint: {type: 'string', format: 'uri'},
          token_endpoint: {type: 'string', format: 'uri'},
          userinfo_endpoint: {type: 'string', format: 'uri'},
          jwks_uri: {type: 'string', format: 'uri'},
          revocation_endpoint: {type: 'string', format: 'uri'},
          introspection_endpoint: {type: 'string', format: 'uri'},
          scopes_supported: {type: 'array', items: {type: 'string'}},
          response_types_supported: {type: 'array', items: {type: 'string'}},
          grant_types_supported: {type: 'array', items: {type: 'string'}},
          code_challenge_methods_supported: {
            type: 'array',
            items: {type: 'string'},
            description: `\`["S256"]\`; the sandbox requires PKCE with every authorization code request (${rfc(9700, '2.1.1')}).`,
          },
          authorization_response_iss_parameter_supported: {type: 'boolean'},
        },
      },
      JwkSet: {
        type: 'object',
        required: ['keys'],
        properties: {keys: {type: 'array', items: {type: 'object', required: ['kty'], properties: {kty: {type: 'string'}, kid: {type: 'string'}, alg: {type: 'string'}, use: {type: 'string'}, n: {type: 'string'}, e: {type: 'string'}}}}},
      },
      ScopeDescription: {type: 'object', required: ['value', 'description'], properties: {value: {type: 'string'}, description: {type: 'string'}}},
      ApiOperation: {
        type: 'object',
        required: ['method', 'url', 'scope', 'description'],
        properties: {method: {enum: ['GET', 'POST']}, url: {type: 'string', format: 'uri'}, scope: {type: 'string'}, description: {type: 'string'}, body: {type: 'object', additionalProperties: {type: 'string'}}},
      },
      CalendarEvent: {type: 'object', required: ['id', 'title', 'start'], properties: {id: {type: 'string'}, title: {type: 'string'}, start: {type: 'string', format: 'date-time'}}},
      Catalog: {
        type: 'object',
        required: ['issuer', 'clients', 'users', 'apis', 'oidc_scopes'],
        properties: {
          issuer: {type: 'string'},
          clients: {
            type: 'array',
            items: {
              type: 'object',
              required: ['client_id', 'type', 'grant_types', 'redirect_uris', 'token_endpoint_auth_method'],
              properties: {
                client_id: {type: 'string'},
                client_secret: string('Public on purpose: this is a sandbox.'),
                client_name: {type: 'string'},
                type: {enum: ['public', 'confidential']},
                grant_types: {type: 'array', items: {type: 'string'}},
                response_types: {type: 'array', items: {type: 'string'}},
                redirect_uris: {type: 'array', items: {type: 'string'}},
                token_endpoint_auth_method: {enum: ['client_secret_basic', 'client_secret_post', 'none']},
                require_pkce: {type: 'boolean'},
              },
            },
          },
          users: {
            type: 'array',
            items: {
              type: 'object',
              required: ['sub', 'username', 'password'],
              properties: {sub: {type: 'string'}, username: {type: 'string'}, password: string('Public on purpose: the sign-in page shows it.'), name: {type: 'string'}, email: {type: 'string'}},
            },
          },
          apis: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'identifier', 'base_url', 'scopes', 'operations'],
              properties: {id: {type: 'string'}, name: {type: 'string'}, identifier: {type: 'string'}, base_url: {type: 'string'}, scopes: {type: 'array', items: ref('ScopeDescription')}, operations: {type: 'array', items: ref('ApiOperation')}},
            },
          },
          oidc_scopes: {type: 'array', items: ref('ScopeDescription')},
          lab_issuers: {
            type: 'array',
            description: 'Authorization servers that exist only for a security lab (the mix-up lab\'s attacker), each with the lab it belongs to and the registrations it accepts.',
            items: {
              type: 'object',
              required: ['issuer', 'name', 'lab', 'clients'],
              properties: {
                issuer: {type: 'string'},
                name: {type: 'string'},
                lab: {type: 'string'},
                clients: {
                  type: 'array',
                  items: {type: 'object', required: ['client_id', 'redirect_uris'], properties: {client_id: {type: 'string'}, client_name: {type: 'string'}, redirect_uris: {type: 'array', items: {type: 'string'}}}},
                },
              },
            },
          },
        },
      },
    };
  }
}
