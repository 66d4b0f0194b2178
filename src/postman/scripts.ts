/**
 * The collection's test script snippets, run by Postman's sandbox (`pm.*`): status, content type, the
 * RFC 6749 §5.1 cache headers, OAuth errors, token responses, bearer challenges, the authorization
 * code flow's redirects and forms.
 */

export const literal = (value: unknown) => JSON.stringify(value);

export const status = (code: number) => [`pm.test('status is ${code}', () => pm.response.to.have.status(${code}));`];
export const jsonContent = () => [
  `pm.test('Content-Type is application/json', () => pm.expect(pm.response.headers.get('Content-Type')).to.match(/^application\\/json\\b/));`,
];
export const htmlContent = () => [
  `pm.test('Content-Type is text/html', () => pm.expect(pm.response.headers.get('Content-Type')).to.match(/^text\\/html\\b/));`,
];
export const noStore = () => [
  `pm.test('Cache-Control: no-store (RFC 6749 §5.1)', () => pm.expect(pm.response.headers.get('Cache-Control')).to.include('no-store'));`,
];
export const pragma = () => [
  `pm.test('Pragma: no-cache (RFC 6749 §5.1)', () => pm.expect(pm.response.headers.get('Pragma')).to.eql('no-cache'));`,
];
export const oauthError = (code: string) => [
  `pm.test('error is ${code}', () => {`,
  `  const body = pm.response.json();`,
  `  pm.expect(body.error).to.eql('${code}');`,
  `  pm.expect(body.error_description).to.be.a('string');`,
  `});`,
];
export const save = (variable: string, expression: string) => [
  `pm.collectionVariables.set('${variable}', ${expression});`,
];
/** Decodes a JWT's header (0) or payload (1); what a test reads, not a verification. */
export const JWT_PART = [
  `const jwtPart = (jwt, index) => {`,
  `  const cryptoJs = require('crypto-js');`,
  `  let b64 = jwt.split('.')[index].replace(/-/g, '+').replace(/_/g, '/');`,
  `  while (b64.length % 4) b64 += '=';`,
  `  return JSON.parse(cryptoJs.enc.Utf8.stringify(cryptoJs.enc.Base64.parse(b64)));`,
  `};`,
];

export interface TokenExpectations {
  scope: string;
  refresh: boolean;
  idToken: boolean;
  /** The access token's `aud`, an expression in the test script. */
  aud: string;
  sub: string;
  clientId: string;
}

/** RFC 6749 §5.1 response fields, and the RFC 9068 access token and OIDC Core §2 ID token they carry. */
export function tokenResponse(expect: TokenExpectations): string[] {
  return [
    ...status(200),
    ...jsonContent(),
    ...noStore(),
    ...pragma(),
    ...JWT_PART,
    `const tokens = pm.response.json();`,
    `pm.test('token_type is Bearer, expires_in is positive (RFC 6749 §5.1)', () => {`,
    `  pm.expect(tokens.token_type).to.match(/^Bearer$/i);`,
    `  pm.expect(tokens.expires_in).to.be.a('number').above(0);`,
    `});`,
    `pm.test('scope is ${expect.scope}', () => pm.expect(tokens.scope).to.eql(${literal(expect.scope)}));`,
    `pm.test('the access token is a JWT access token (RFC 9068 §2)', () => {`,
    `  pm.expect(tokens.access_token.split('.')).to.have.lengthOf(3);`,
    `  pm.expect(jwtPart(tokens.access_token, 0).typ).to.eql('at+jwt');`,
    `  const claims = jwtPart(tokens.access_token, 1);`,
    `  pm.expect(claims.iss).to.eql(pm.variables.get('issuer'));`,
    `  pm.expect(claims.aud).to.eql(${expect.aud});`,
    `  pm.expect(claims.sub).to.eql(${literal(expect.sub)});`,
    `  pm.expect(claims.client_id).to.eql(${literal(expect.clientId)});`,
    `  pm.expect(claims.scope).to.eql(${literal(expect.scope)});`,
    `});`,
    expect.refresh
      ? `pm.test('a refresh token is issued', () => pm.expect(tokens.refresh_token).to.be.a('string').and.not.empty);`
      : `pm.test('no refresh token', () => pm.expect(tokens).to.not.have.property('refresh_token'));`,
    ...(expect.idToken
      ? [
          `pm.test('an ID token for the client (OIDC Core §2)', () => {`,
          `  const claims = jwtPart(tokens.id_token, 1);`,
          `  pm.expect(claims.iss).to.eql(pm.variables.get('issuer'));`,
          `  pm.expect(claims.aud).to.eql(${literal(expect.clientId)});`,
          `  pm.expect(claims.sub).to.eql(${literal(expect.sub)});`,
          `});`,
        ]
      : [`pm.test('no ID token without openid', () => pm.expect(tokens).to.not.have.property('id_token'));`]),
  ];
}

/** A resource server's challenge (RFC 6750 §3). */
export function bearerChallenge(error?: string, scope?: string): string[] {
  return [
    `pm.test('WWW-Authenticate: Bearer${error ? ` with error="${error}"` : ' without an error code'} (RFC 6750 §3)', () => {`,
    `  const challenge = pm.response.headers.get('WWW-Authenticate');`,
    `  pm.expect(challenge).to.match(/^Bearer /);`,
    error
      ? `  pm.expect(challenge).to.include('error="${error}"');`
      : `  pm.expect(challenge).to.not.include('error=');`,
    ...(scope ? [`  pm.expect(challenge).to.include('scope="${scope}"');`] : []),
    `});`,
  ];
}

/** The Location of a redirect, made absolute against the issuer's origin. */
export const LOCATION = [
  `const location = pm.response.headers.get('Location');`,
  `const origin = pm.variables.get('issuer').match(/^https?:\\/\\/[^/]+/)[0];`,
  `const next = location.startsWith('/') ? origin + location : location;`,
];
/** The authorization response at the redirect URI (RFC 6749 §4.1.2, RFC 9207 §2), read from the Location header. */
export const CALLBACK = [
  `const callback = pm.response.headers.get('Location');`,
  `const param = (name) => { const match = callback.match(new RegExp('[?&]' + name + '=([^&]*)')); return match ? decodeURIComponent(match[1]) : undefined; };`,
  `pm.test('to the redirect URI', () => pm.expect(callback.split('?')[0]).to.eql(pm.variables.get('native_redirect_uri')));`,
  `pm.test('state comes back unchanged (RFC 6749 §4.1.2)', () => pm.expect(param('state')).to.eql(pm.variables.get('state')));`,
  `pm.test('iss is the issuer (RFC 9207 §2)', () => pm.expect(param('iss')).to.eql(pm.variables.get('issuer')));`,
  `pm.test('a code', () => pm.expect(param('code')).to.be.a('string').and.not.empty);`,
];
/** The hidden `csrf` field of the sandbox's sign-in and consent forms. */
export const CSRF = [
  `const csrf = (pm.response.text().match(/name="csrf" value="([^"]*)"/) || [])[1];`,
  `pm.test('the form carries a CSRF value', () => pm.expect(csrf).to.be.a('string').and.not.empty);`,
  `pm.collectionVariables.set('csrf', csrf);`,
];

/** RFC 7636 §4.1-4.2: a fresh PKCE verifier and challenge, and a state, saved for the requests that follow. */
export const PKCE = [
  `const cryptoJs = require('crypto-js');`,
  `const base64url = (words) => cryptoJs.enc.Base64.stringify(words).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');`,
  `// RFC 7636 §4.1-4.2: a random verifier (32 random octets, base64url) and its S256 challenge.`,
  `const verifier = base64url(cryptoJs.lib.WordArray.random(32));`,
  `pm.collectionVariables.set('code_verifier', verifier);`,
  `pm.collectionVariables.set('code_challenge', base64url(cryptoJs.SHA256(verifier)));`,
  `pm.collectionVariables.set('state', base64url(cryptoJs.lib.WordArray.random(16)));`,
];
