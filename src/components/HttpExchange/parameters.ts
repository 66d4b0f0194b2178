/**
 * One-line meanings of the OAuth 2.0 / OpenID Connect parameters and headers a
 * walkthrough shows, with the section that defines each. The HTTP exchange
 * view annotates query parameters, form fields, headers and JSON members with
 * these.
 */

export interface ParameterDescription {
  meaning: string;
  /** Human-readable spec reference, e.g. "RFC 7636 §4.3". */
  reference: string;
}

const RFC = (number: number, section: string) => `RFC ${number} §${section}`;

const parameters: Record<string, ParameterDescription> = {
  response_type: {
    meaning: 'Which grant the app starts; "code" asks for an authorization code.',
    reference: RFC(6749, '3.1.1'),
  },
  client_id: {meaning: 'Which registered app is asking.', reference: RFC(6749, '2.2')},
  redirect_uri: {
    meaning: 'Where the browser comes back with the result; must match a registered value exactly.',
    reference: RFC(6749, '3.1.2'),
  },
  scope: {meaning: 'What the app asks to be allowed to do, space-separated.', reference: RFC(6749, '3.3')},
  state: {
    meaning: 'A random value the app checks on return, so a forged response is rejected (CSRF).',
    reference: RFC(6749, '10.12'),
  },
  nonce: {
    meaning: 'A random value the ID token must echo, binding it to this sign-in (replay protection).',
    reference: 'OIDC Core §3.1.2.1',
  },
  code_challenge: {
    meaning: 'SHA-256 of the secret code_verifier; only the holder of the verifier can redeem the code.',
    reference: RFC(7636, '4.2'),
  },
  code_challenge_method: {
    meaning: 'How the challenge was derived; S256 is the only safe choice.',
    reference: RFC(7636, '4.3'),
  },
  code_verifier: {
    meaning: 'The secret behind code_challenge; the server hashes it and compares before issuing tokens.',
    reference: RFC(7636, '4.5'),
  },
  resource: {meaning: 'Which API the access token is for; it becomes the token\'s "aud".', reference: RFC(8707, '2')},
  audience: {
    meaning: 'Which API the access token is for (a common pre-standard name for "resource").',
    reference: RFC(8707, '2'),
  },
  prompt: {meaning: 'Whether the server should force a login or consent screen.', reference: 'OIDC Core §3.1.2.1'},
  code: {meaning: 'The one-time authorization code, short-lived, redeemable once.', reference: RFC(6749, '4.1.2')},
  iss: {
    meaning: 'Who issued the response; the app checks it equals the server it sent the user to (mix-up defense).',
    reference: RFC(9207, '2'),
  },
  error: {meaning: "An error code from the spec's list, meant for code to act on.", reference: RFC(6749, '5.2')},
  error_description: {
    meaning: 'A human-readable explanation of the error, meant for developers.',
    reference: RFC(6749, '5.2'),
  },
  session_state: {
    meaning: 'Opaque session status value for session management.',
    reference: 'OIDC Session Management §2',
  },
  grant_type: {meaning: 'Which grant the token request uses.', reference: RFC(6749, '4')},
  refresh_token: {
    meaning: 'A long-lived credential to get new access tokens without the user; rotated on each use here.',
    reference: RFC(6749, '6'),
  },
  client_secret: {
    meaning: "The confidential client's password; public clients have none.",
    reference: RFC(6749, '2.3.1'),
  },
  username: {meaning: "The user's username, as typed into the app's own form.", reference: RFC(6749, '4.3.2')},
  password: {
    meaning: "The user's password: the app sees it, which is why this grant is a last resort.",
    reference: RFC(6749, '4.3.2'),
  },
  access_token: {meaning: 'The credential an API accepts; sent as a bearer token.', reference: RFC(6749, '5.1')},
  token_type: {
    meaning: 'How to send the access token; "Bearer" means whoever holds it may use it.',
    reference: RFC(6749, '7.1'),
  },
  expires_in: {meaning: 'Seconds until the access token expires.', reference: RFC(6749, '5.1')},
  id_token: {
    meaning: 'A signed JWT telling the app who signed in; it is for the app, not for APIs.',
    reference: 'OIDC Core §2',
  },
  // HTTP headers (lower-case, as fetch normalizes them).
  authorization: {meaning: 'Carries the credential: "Bearer <access token>" to an API.', reference: RFC(6750, '2.1')},
  'content-type': {meaning: 'Format of the body; token requests are form-encoded.', reference: RFC(6749, '4.1.3')},
  accept: {meaning: 'Formats the client can read.', reference: 'RFC 9110 §12.5.1'},
  'cache-control': {meaning: 'Token responses must not be stored by caches.', reference: RFC(6749, '5.1')},
  pragma: {meaning: 'Legacy no-cache signal for HTTP/1.0 caches.', reference: RFC(6749, '5.1')},
  'www-authenticate': {
    meaning: 'Why an API refused the token, and how to authenticate instead.',
    reference: RFC(6750, '3'),
  },
};

/** Each grant_type value is defined in its own section. */
const grantTypes: Record<string, ParameterDescription> = {
  authorization_code: {meaning: 'Redeems an authorization code.', reference: RFC(6749, '4.1.3')},
  refresh_token: {meaning: 'Trades a refresh token for new tokens.', reference: RFC(6749, '6')},
  client_credentials: {meaning: 'The client asks for a token on its own behalf.', reference: RFC(6749, '4.4.2')},
  password: {meaning: "Trades the user's username and password for tokens.", reference: RFC(6749, '4.3.2')},
};

/** HTTP Basic carries a client's id and secret to the token endpoint, not a token to an API. */
const basicAuthentication: Record<string, ParameterDescription> = {
  authorization: {
    meaning: 'The client\'s id and secret, form-encoded, joined by ":" and base64-encoded (client_secret_basic).',
    reference: RFC(6749, '2.3.1'),
  },
  'www-authenticate': {
    meaning: "The token endpoint refused the client's Basic credentials; the body says invalid_client.",
    reference: RFC(6749, '5.2'),
  },
};

/**
 * The meaning of a parameter or header name, if the dictionary knows it; for `grant_type`,
 * the meaning of the given value, with the section that defines that grant; for a `Basic`
 * credential or challenge, client authentication rather than a bearer token.
 */
export function describeParameter(name: string, value?: string): ParameterDescription | undefined {
  const key = name.toLowerCase();
  if (key === 'grant_type' && value !== undefined && Object.hasOwn(grantTypes, value)) return grantTypes[value];
  if (value !== undefined && /^basic\b/i.test(value) && Object.hasOwn(basicAuthentication, key))
    return basicAuthentication[key];
  return Object.hasOwn(parameters, key) ? parameters[key] : undefined;
}
