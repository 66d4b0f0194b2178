/**
 * The security labs' part of the catalog (docs/security/): the clients each lab weakens on purpose, or
 * keeps strict as its defended twin, and the lab's own authorization servers. The demo world the guide's
 * flows use is in catalog.ts, which lists these after its own clients.
 */
import {DEVICE_CODE_GRANT_TYPE, type CatalogClient, type LabIssuer} from '../contract/catalog';
import {demoAppCallback} from '../contract/demo-apps';

/** Where the mix-up lab's attacker serves its authorization server: a path of its own, beside the sandbox's endpoints. */
export function attackerIssuer(issuer: string): string {
  return `${issuer}/attacker`;
}

/**
 * The authorization servers of the security labs. The mix-up lab's attacker runs one the lab's app is
 * registered at too, as in RFC 9700 §4.4.1, where a client trusts several servers and one of them is
 * the attacker's.
 */
export function labIssuers(issuer: string, siteUrl: string): LabIssuer[] {
  return [
    {
      issuer: attackerIssuer(issuer),
      name: 'Attacker AS (lab: mix-up)',
      lab: 'mix-up',
      // The same app and the same redirect URI as its registration at the sandbox, `lab-trip-planner`.
      clients: [{client_id: 'trip-planner', client_name: 'Trip Planner', redirect_uris: [`${siteUrl}security/mix-up`]}],
    },
  ];
}

/**
 * The security labs' clients. Each names its lab; the weakened ones name the defence they lack. They
 * share no redirect URI with the demo clients (catalog.ts), so no page of the flows section can use them.
 */
export function labClients(siteUrl: string, issuer: string): CatalogClient[] {
  return [
    {
      // The victim of code interception: a native note-taking app whose private-use scheme another app
      // on the device also claims (RFC 8252 §8.1). It may leave PKCE out, which is what the lab turns off.
      client_id: 'lab-notes-app',
      client_name: 'Notes (lab: code interception)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: ['com.example.notes:/callback', `${siteUrl}security/code-interception`],
      token_endpoint_auth_method: 'none',
      require_pkce: false,
      lab: {slug: 'code-interception', weakness: 'pkce-optional'},
    },
    {
      // The malicious app that registered the same scheme on the device. The authorization server holds
      // it to every rule; it never needs a weakness, because it redeems stolen codes as the victim app.
      client_id: 'lab-flashlight-app',
      client_name: 'Free Flashlight (lab: code interception)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: ['com.example.notes:/callback'],
      token_endpoint_auth_method: 'none',
      require_pkce: true,
      lab: {slug: 'code-interception'},
    },
    {
      // A single-page app whose refresh tokens never rotate: a stolen one keeps working for as long as it lives.
      client_id: 'lab-spa-no-rotation',
      client_name: 'Acme SPA without rotation (lab: refresh token theft)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [`${siteUrl}security/refresh-token-theft`],
      token_endpoint_auth_method: 'none',
      require_pkce: true,
      lab: {slug: 'refresh-token-theft', weakness: 'refresh-not-rotated'},
    },
    {
      // The same app with the defence in place: rotation and reuse detection, like every demo client.
      client_id: 'lab-spa-rotation',
      client_name: 'Acme SPA with rotation (lab: refresh token theft)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [`${siteUrl}security/refresh-token-theft`],
      token_endpoint_auth_method: 'none',
      require_pkce: true,
      lab: {slug: 'refresh-token-theft'},
    },
    {
      // An app that lets its users sign in with one of several authorization servers, one of which is the
      // attacker's (catalog `lab_issuers`). The sandbox holds it to every rule: the mix-up lab's defence is
      // the app's own check of `iss` (RFC 9207 §2.4), not anything the server leaves out.
      client_id: 'lab-trip-planner',
      client_name: 'Trip Planner (lab: mix-up)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [`${siteUrl}security/mix-up`],
      token_endpoint_auth_method: 'none',
      require_pkce: true,
      lab: {slug: 'mix-up'},
    },
    {
      // A web app, Acme Notes, whose callback is the one URI it registered. The server matches it by
      // string prefix, so `<callback>/../<any page of the same site>` passes the check (RFC 9700 §4.1.1).
      // No page serves the callback: the lab never runs the app's own sign-in, only the attacker's.
      client_id: 'lab-notes-web-prefix',
      client_name: 'Acme Notes, prefix matching (lab: loose redirect URI)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [`${siteUrl}security/notes-app/callback`],
      token_endpoint_auth_method: 'none',
      require_pkce: true,
      lab: {slug: 'loose-redirect-uri', weakness: 'redirect-uri-prefix-match'},
    },
    {
      // The same app with the defence in place: its redirect URI is compared exactly, like every demo client's.
      client_id: 'lab-notes-web-exact',
      client_name: 'Acme Notes, exact matching (lab: loose redirect URI)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [`${siteUrl}security/notes-app/callback`],
      token_endpoint_auth_method: 'none',
      require_pkce: true,
      lab: {slug: 'loose-redirect-uri'},
    },
    {
      // A single-page app of the old kind: the implicit grant, the access token in the redirect's fragment
      // (RFC 6749 §4.2). The only client the sandbox answers `response_type=token` for.
      client_id: 'lab-spa-implicit',
      client_name: 'Acme SPA, implicit grant (lab: tokens in the URL)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['implicit'],
      response_types: ['token'],
      redirect_uris: [`${siteUrl}security/tokens-in-url`],
      token_endpoint_auth_method: 'none',
      require_pkce: false,
      lab: {slug: 'tokens-in-url', weakness: 'implicit-token-response'},
    },
    {
      // The same app with the defence in place: the code flow with PKCE, so only a code travels in a URL.
      client_id: 'lab-spa-code',
      client_name: 'Acme SPA, code flow with PKCE (lab: tokens in the URL)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [`${siteUrl}security/tokens-in-url`],
      token_endpoint_auth_method: 'none',
      require_pkce: true,
      lab: {slug: 'tokens-in-url'},
    },
    {
      // The victim of login CSRF: a single-page app that saves appointments to the calendar of whoever is
      // signed in. Registered without PKCE, which would also stop the attack (RFC 9700 §4.7.1), so that the
      // lab's switch, the client's own state check, is the only defence in play.
      client_id: 'lab-planner',
      client_name: 'Planner (lab: login CSRF)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [`${siteUrl}security/login-csrf`],
      token_endpoint_auth_method: 'none',
      require_pkce: false,
      lab: {slug: 'login-csrf', weakness: 'pkce-optional'},
    },
    {
      // The relying party of the ID token replay lab: a web app that signs people in with an ID token posted
      // to its server (implicit, form_post). The server holds it to every rule, nonce included (OIDC Core
      // §3.2.2.1); the check the lab turns off is the app's own comparison of the nonce it gets back.
      client_id: 'lab-members-app',
      client_name: 'Members (lab: ID token replay)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: ['implicit'],
      response_types: ['id_token'],
      redirect_uris: [demoAppCallback(issuer, 'idTokenReplayLab')],
      token_endpoint_auth_method: 'none',
      require_pkce: false,
      lab: {slug: 'id-token-replay'},
    },
    {
      // The TV app the device-code phishing lab's attacker starts a flow on (RFC 8628 §5.4): the server skips
      // the confirmation naming the app, and its codes live long enough to reach a victim by email.
      client_id: 'lab-tv-unconfirmed',
      client_name: 'Acme TV (lab: device-code phishing)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: [DEVICE_CODE_GRANT_TYPE],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'none',
      require_pkce: false,
      lab: {slug: 'device-code-phishing', weakness: 'device-no-confirmation'},
      device_flow: {code_lifetime: 1800, interval: 5},
    },
    {
      // The same app with the defences in place: the confirmation step, and codes that expire in minutes.
      client_id: 'lab-tv-confirmed',
      client_name: 'Acme TV (lab: device-code phishing)',
      type: 'public',
      guide_case: 'attack-lab',
      grant_types: [DEVICE_CODE_GRANT_TYPE],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'none',
      require_pkce: false,
      lab: {slug: 'device-code-phishing'},
      device_flow: {code_lifetime: 300, interval: 5},
    },
  ];
}
