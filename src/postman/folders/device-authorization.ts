/**
 * The Device Authorization Grant (RFC 8628): requests playing the device, which asks for codes and polls the
 * token endpoint, and requests playing the user's browser on another device, which enter the code, sign in,
 * confirm and consent on the sandbox's pages.
 */
import {DEVICE_CODE_GRANT_TYPE} from '../../contract/catalog';
import type {Folder, RequestSpec, Scenario} from '../scenario';
import {
  CSRF,
  htmlContent,
  jsonContent,
  literal,
  LOCATION,
  noStore,
  oauthError,
  save,
  status,
  tokenResponse,
} from '../scripts';

/** RFC 8628 §3.5: a poll sooner than the interval is slow_down, so a poll meant to succeed waits it out first. */
const WAIT_INTERVAL = [
  `// RFC 8628 §3.5: no sooner than the interval (slow_down adds 5 seconds to it) after the last poll.`,
  `const waitMs = Number(pm.collectionVariables.get('device_interval')) * 1000 + 300;`,
  `setTimeout(() => {}, waitMs);`,
];

/** The user's browser starts signed out (the code flow's folder signed it in), so its approval goes through the sign-in page. */
const SIGNED_OUT = [`pm.cookies.jar().clear(pm.variables.get('issuer'), (error) => error && console.error(error));`];

/** The device authorization response (RFC 8628 §3.2), its codes saved for the requests that follow. */
function codesIssued(): string[] {
  return [
    ...status(200),
    ...jsonContent(),
    ...noStore(),
    `const codes = pm.response.json();`,
    `pm.test('a device code, a user code of 8 letters without vowels, shown as XXXX-XXXX (RFC 8628 §6.1)', () => {`,
    `  pm.expect(codes.device_code).to.be.a('string').and.not.empty;`,
    `  pm.expect(codes.user_code).to.match(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);`,
    `});`,
    `pm.test('verification_uri and verification_uri_complete (RFC 8628 §3.2, §3.3.1)', () => {`,
    `  pm.expect(codes.verification_uri).to.eql(pm.variables.get('issuer') + '/device');`,
    `  pm.expect(codes.verification_uri_complete).to.eql(codes.verification_uri + '?user_code=' + codes.user_code);`,
    `});`,
    `pm.test('expires_in and interval (RFC 8628 §3.2)', () => {`,
    `  pm.expect(codes.expires_in).to.be.a('number').above(0);`,
    `  pm.expect(codes.interval).to.be.a('number').above(0);`,
    `});`,
    ...save('device_code', 'codes.device_code'),
    ...save('user_code', 'codes.user_code'),
    ...save('verification_uri_complete', 'codes.verification_uri_complete'),
    ...save('device_interval', 'String(codes.interval)'),
  ];
}

export function deviceAuthorizationFolders(scenario: Scenario): Folder[] {
  const {device, user} = scenario;
  const scope = 'openid profile offline_access';
  const deviceAuthorization = (name: string, description: string, prerequest?: string[]): RequestSpec => ({
    name,
    description,
    ...(prerequest ? {prerequest} : {}),
    operation: 'postDeviceAuthorization',
    form: [
      ['client_id', '{{device_client_id}}'],
      ['scope', scope],
    ],
    status: 200,
    tests: codesIssued(),
  });
  const poll = (name: string, description: string, expected: number, tests: string[], wait = false): RequestSpec => ({
    name,
    description,
    operation: 'postToken',
    form: [
      ['grant_type', DEVICE_CODE_GRANT_TYPE],
      ['device_code', '{{device_code}}'],
      ['client_id', '{{device_client_id}}'],
    ],
    status: expected,
    ...(wait ? {prerequest: WAIT_INTERVAL} : {}),
    tests,
  });
  const refused = (code: string) => [...status(400), ...jsonContent(), ...oauthError(code)];
  const verificationPage = (name: string): RequestSpec => ({
    name,
    description:
      "The user's browser opens the address the device showed, as a QR code say (RFC 8628 §3.3.1): the code is filled in.",
    operation: 'getDevicePage',
    url: '{{verification_uri_complete}}',
    noRedirects: true,
    status: 200,
    tests: [
      ...status(200),
      ...htmlContent(),
      `pm.test('the code is filled in', () => pm.expect(pm.response.text()).to.include(pm.collectionVariables.get('user_code')));`,
    ],
  });
  const enterCode = (next: string, what: string): RequestSpec => ({
    name: `Enter the code: on to ${what}`,
    description: `Posts the code as a person might type it, in lower case and without the dash: it is checked case- and dash-insensitively (RFC 8628 §6.1). On to ${what}.`,
    operation: 'postDevicePage',
    form: [['user_code', '{{user_code_typed}}']],
    noRedirects: true,
    prerequest: [
      `pm.collectionVariables.set('user_code_typed', pm.collectionVariables.get('user_code').replace('-', '').toLowerCase());`,
    ],
    status: 303,
    tests: [
      ...status(303),
      ...LOCATION,
      `pm.test('on to ${what}', () => pm.expect(next).to.match(/\\/device\\/[^/]+\\/${next}$/));`,
      ...save(`device_${next}_page`, 'next'),
    ],
  });
  const stepPage = (step: string, name: string, description: string, extra: string[] = []): RequestSpec => ({
    name,
    description,
    operation: 'getDeviceStepPage',
    url: `{{device_${step}_page}}`,
    noRedirects: true,
    status: 200,
    tests: [...status(200), ...htmlContent(), ...extra, ...CSRF],
  });
  const submitStep = (step: string, name: string, description: string, form: [string, string][], next?: string) => ({
    name,
    description,
    operation: 'postDeviceStepPage',
    url: `{{device_${step}_page}}`,
    form: [['csrf', '{{csrf}}'] as [string, string], ...form],
    noRedirects: true,
    status: next ? 303 : 200,
    tests: next
      ? [
          ...status(303),
          ...LOCATION,
          `pm.test('on to the ${next} step', () => pm.expect(next).to.match(/\\/device\\/[^/]+\\/${next}$/));`,
          ...save(`device_${next}_page`, 'next'),
        ]
      : [...status(200), ...htmlContent()],
  });
  const confirmPage = (name: string) =>
    stepPage(
      'confirm',
      name,
      'RFC 8628 §5.4: the page names the client and the code, and asks whether the user started this on a device in front of them.',
      [
        `pm.test('names the client and the code (RFC 8628 §5.4)', () => {`,
        `  pm.expect(pm.response.text()).to.include(${literal(device.client_name)});`,
        `  pm.expect(pm.response.text()).to.include(pm.collectionVariables.get('user_code'));`,
        `});`,
      ],
    );

  const shows = (text: string) => [
    `pm.test(${literal(`the page says: ${text}`)}, () => pm.expect(pm.response.text()).to.include(${literal(text)}));`,
  ];

  return [
    {
      name: 'Device authorization grant',
      description: `RFC 8628 as the public client \`${device.client_id}\`: the device asks for codes and polls the token endpoint; requests playing the user's browser on another device open the verification page, enter the code, sign in, confirm that they started it and consent. A poll meant to succeed first waits the interval in its pre-request script. Then a second device code, which the user says they did not start.`,
      requests: [
        deviceAuthorization(
          'Device authorization request',
          'RFC 8628 §3.1: a public client sends its client_id and the scopes; offline_access asks for a refresh token.',
          SIGNED_OUT,
        ),
        poll(
          'Poll before the user has answered',
          'RFC 8628 §3.4: the device polls with its device code; the user has not answered yet (§3.5).',
          400,
          refused('authorization_pending'),
        ),
        poll(
          'Poll again at once',
          'RFC 8628 §3.5: sooner than the interval is slow_down, and the interval grows by 5 seconds for this device code.',
          400,
          [
            ...refused('slow_down'),
            `pm.collectionVariables.set('device_interval', String(Number(pm.collectionVariables.get('device_interval')) + 5));`,
          ],
        ),
        verificationPage('Verification page, from verification_uri_complete'),
        enterCode('login', 'the sign-in page'),
        stepPage('login', 'Sign-in page', "The sandbox's own sign-in form, as a step of the device's approval."),
        submitStep(
          'login',
          'Sign in',
          'Posts the form as a person would.',
          [
            ['username', '{{username}}'],
            ['password', '{{password}}'],
            ['action', 'login'],
          ],
          'confirm',
        ),
        confirmPage('Confirmation page'),
        submitStep(
          'confirm',
          'Yes, I started it',
          'RFC 8628 §5.4: the user confirms.',
          [['decision', 'yes']],
          'consent',
        ),
        stepPage('consent', 'Consent page', 'What the device asks for, allowed or denied every time.'),
        {
          ...submitStep('consent', 'Allow', 'No redirect URI in this flow: the page says the device is connected.', [
            ['decision', 'allow'],
          ]),
          tests: [...status(200), ...htmlContent(), ...shows('Your device is connected')],
        },
        poll(
          'Poll after the interval: tokens',
          'RFC 8628 §3.5: once the user has approved, the next poll gets the tokens, as a token response (RFC 6749 §5.1).',
          200,
          tokenResponse({
            scope,
            refresh: true,
            idToken: true,
            aud: `pm.variables.get('issuer') + '/userinfo'`,
            sub: user.sub,
            clientId: device.client_id,
          }),
          true,
        ),
        poll(
          'Poll with the redeemed device code',
          'A device code is redeemed once: the next poll is invalid_grant (RFC 6749 §5.2).',
          400,
          [...refused('invalid_grant'), ...noStore()],
        ),
        deviceAuthorization(
          'Another device authorization request',
          'RFC 8628 §3.1: a second device code, which the user will say they did not start.',
        ),
        verificationPage('Verification page, for the second code'),
        enterCode('confirm', 'the confirmation page: the browser is signed in already'),
        confirmPage('Confirmation page, for the second code'),
        {
          ...submitStep(
            'confirm',
            'No, I did not start it',
            'RFC 8628 §5.4: a user who did not start this on a device in front of them says so; nothing is shared.',
            [['decision', 'no']],
          ),
          tests: [...status(200), ...htmlContent(), ...shows('Nothing was shared')],
        },
        poll(
          'Poll after the refusal',
          'RFC 8628 §3.5: the user denied the request: access_denied.',
          400,
          refused('access_denied'),
        ),
      ],
    },
  ];
}
