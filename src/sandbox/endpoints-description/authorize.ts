/**
 * Rows: the authorization endpoint (RFC 6749 §3.1, OpenID Connect Core §3.1.2), by GET and by form POST,
 * and the sandbox's own sign-in and consent pages it redirects to.
 */
import type {Parameter, Response, Schema} from '../../contract/openapi';
import {html, oidcCore, rfc} from './parts';
import type {DescriptionContext, EndpointRow, Method} from './types';

const PUBLIC = {kind: 'public'} as const;

/** The authorization request's parameters: name, required, description, schema beyond `type: string`. */
function authorizationParameters({apiIdentifiers}: DescriptionContext): [string, boolean, string, Schema?][] {
  return [
    [
      'response_type',
      false,
      `Required, except in a request by reference (\`request_uri\`). \`code\` (${rfc(6749, '4.1.1')}), or \`id_token\` / \`id_token token\` for the implicit flow (${oidcCore('3.2.2.1', 'ImplicitAuthRequest')}). \`token\` (${rfc(6749, '4.2.1')}) is not offered: every client gets \`unsupported_response_type\` for it but one security-lab client, \`lab-spa-implicit\`, whose lab shows why (${rfc(9700, '2.1.2')}).`,
      {enum: ['code', 'id_token', 'id_token token']},
    ],
    [
      'client_id',
      true,
      `The client (${rfc(6749, '2.2')}). An unknown client is shown the error page, never redirected.`,
    ],
    [
      'redirect_uri',
      false,
      `Required, except in a request by reference (\`request_uri\`). Must match a registered redirect URI exactly; loopback URIs on any port (${rfc(8252, '7.3')}). Required by the sandbox for every client (${oidcCore('3.1.2.1', 'AuthRequest')}).`,
      {format: 'uri'},
    ],
    ['scope', false, `Space-separated scopes (${rfc(6749, '3.3')}).`],
    ['state', false, `Opaque value returned unchanged, against CSRF (${rfc(6749, '4.1.1')}, ${rfc(9700, '2.1')}).`],
    [
      'code_challenge',
      false,
      `PKCE challenge, required with \`response_type=code\` for every client, public or confidential (${rfc(7636, '4.3')}, ${rfc(9700, '2.1.1')}).`,
      {pattern: '^[A-Za-z0-9_-]{43}$'},
    ],
    ['code_challenge_method', false, `Only \`S256\` (${rfc(7636, '4.3')}).`, {enum: ['S256']}],
    [
      'response_mode',
      false,
      'How the response is returned: `query`, `fragment` or `form_post` (OAuth 2.0 Multiple Response Type Encoding Practices, Form Post Response Mode).',
      {enum: ['query', 'fragment', 'form_post']},
    ],
    [
      'nonce',
      false,
      `Bound into the ID token, required for the implicit flow (${oidcCore('3.1.2.1', 'AuthRequest')}).`,
    ],
    [
      'prompt',
      false,
      `\`none\`, \`login\` or \`consent\` (${oidcCore('3.1.2.1', 'AuthRequest')}).`,
      {enum: ['none', 'login', 'consent']},
    ],
    [
      'max_age',
      false,
      `Maximum authentication age in seconds (${oidcCore('3.1.2.1', 'AuthRequest')}).`,
      {type: 'integer', minimum: 0},
    ],
    [
      'request_uri',
      false,
      `A request pushed to \`/par\` (${rfc(9126, '4')}): sent with \`client_id\` alone, it stands for the pushed parameters, and any other parameter is ignored. Used once, within its \`expires_in\`, by the client that pushed it; otherwise \`invalid_request_uri\` on the error page (${rfc(9101, '6.2')}). A client registered with \`require_pushed_authorization_requests\` must send its requests so (${rfc(9126, '6')}).`,
      {pattern: '^urn:ietf:params:oauth:request_uri:'},
    ],
    ['resource', false, `The API the access token is for (${rfc(8707, '2')}).`, {enum: apiIdentifiers}],
    ['audience', false, 'The API the access token is for, as an alternative to `resource`.', {enum: apiIdentifiers}],
  ];
}

function authorizeRow(method: Method, context: DescriptionContext): EndpointRow {
  const parameters = authorizationParameters(context);
  const properties = Object.fromEntries(
    parameters.map(([name, , description, schema]) => [name, {type: 'string', description, ...schema}]),
  );
  const redirect: Response = {
    description: `A redirect: to the sandbox's sign-in or consent page, or to the client's \`redirect_uri\` with the authorization response (\`code\`, \`state\`, \`iss\`, ${rfc(6749, '4.1.2')}, ${rfc(9207, '2')}) or an error (\`error\`, \`error_description\`, \`state\`, \`iss\`; codes from ${rfc(6749, '4.1.2.1')}, ${rfc(8707, '2')} and ${oidcCore('3.1.2.6', 'AuthError')}).`,
    headers: {
      Location: {description: 'Where the browser goes next.', required: true, schema: {type: 'string', format: 'uri'}},
    },
  };
  return {
    path: '/authorize',
    method,
    operationId: `${method.toLowerCase()}Authorize`,
    summary: method === 'GET' ? 'Authorization request' : 'Authorization request (form post)',
    description: `The authorization endpoint (${rfc(6749, '3.1')}, ${oidcCore('3.1.2', 'AuthorizationEndpoint')}${method === 'POST' ? `; POST per ${oidcCore('3.1.2.1', 'AuthRequest')}` : ''}). Errors are sent back to the client, except when the client or its redirect URI cannot be trusted: then the sandbox shows its own error page (${rfc(6749, '4.1.2.1')}).`,
    tag: 'Authorization server',
    auth: PUBLIC,
    ...(method === 'GET'
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
          body: {
            mediaType: 'form' as const,
            required: true,
            schema: {
              type: 'object',
              required: parameters.filter(([, required]) => required).map(([name]) => name),
              properties,
            },
          },
        }),
    responses: {
      '200': html(
        'A page: for `response_mode=form_post`, the self-submitting form that posts the response to the client.',
      ),
      '302': redirect,
      '303': {...redirect, description: `${redirect.description} A 303 after a POST, so the browser follows with GET.`},
      '400': html(
        `The sandbox's own error page, for an unknown \`client_id\` or a \`redirect_uri\` that is not registered: never redirected (${rfc(6749, '4.1.2.1')}, ${rfc(9700, '4.1')}). Also for a \`request_uri\` that is unknown, expired, used or another client's (\`invalid_request_uri\`, ${rfc(9126, '4')}), and for a plain request from a client that must push its requests (\`invalid_request\`, ${rfc(9126, '6')}).`,
      ),
    },
  };
}

/** The sandbox's sign-in or consent page (`kind`), shown and submitted. */
function interactionRows(kind: 'login' | 'consent', summary: string, description: string): EndpointRow[] {
  const parameters: Parameter[] = [
    {
      name: 'id',
      in: 'path',
      required: true,
      description: 'The pending authorization request.',
      schema: {type: 'string'},
    },
  ];
  const page = html('The page.');
  const notFound = html('Unknown or expired interaction: an error page.');
  const name = `${kind[0]!.toUpperCase()}${kind.slice(1)}Page`;
  const path = `/interaction/{id}/${kind}`;
  return [
    {
      path,
      method: 'GET',
      operationId: `get${name}`,
      summary,
      description,
      tag: 'Authorization server',
      auth: PUBLIC,
      parameters,
      responses: {'200': page, '400': notFound},
    },
    {
      path,
      method: 'POST',
      operationId: `post${name}`,
      summary: `${summary}: submit`,
      description: `${description} The form carries a CSRF token.`,
      tag: 'Authorization server',
      auth: PUBLIC,
      parameters,
      body: {mediaType: 'form', required: true, schema: {type: 'object'}},
      responses: {
        '200': page,
        '303': {
          description: 'On to the next step, or back to the client.',
          headers: {Location: {description: 'The next URL.', required: true, schema: {type: 'string'}}},
        },
        '400': notFound,
      },
    },
  ];
}

export function authorizationRows(context: DescriptionContext): EndpointRow[] {
  return [
    authorizeRow('GET', context),
    authorizeRow('POST', context),
    ...interactionRows(
      'login',
      'Sign-in page',
      "The sandbox's own sign-in form, reached by redirect from `/authorize`; posting it continues the authorization request.",
    ),
    ...interactionRows(
      'consent',
      'Consent page',
      "The sandbox's own consent form, reached by redirect from `/authorize` when the client asks for scopes not yet granted.",
    ),
  ];
}
