/**
 * The Device Authorization Grant (RFC 8628), the shortest way through it: a device asks for codes and polls,
 * requests playing the user's browser enter the code and say no, and the device learns it. (A fuller folder,
 * with an approval, slow_down and the polling rules, belongs with the rest of the collection.)
 */
import {DEVICE_CODE_GRANT_TYPE} from '../../contract/catalog';
import type {Folder} from '../scenario';
import {htmlContent, jsonContent, LOCATION, noStore, oauthError, save, status} from '../scripts';

export function deviceFolders(): Folder[] {
  const poll = {
    operation: 'postToken',
    form: [
      ['grant_type', DEVICE_CODE_GRANT_TYPE],
      ['device_code', '{{device_code}}'],
      ['client_id', 'tv-app'],
    ] as [string, string][],
    status: 400,
  };
  return [
    {
      name: 'Device authorization',
      description:
        "RFC 8628 as the public client `tv-app`: the device asks for a device code and a user code, polls once, then requests playing the user's browser enter the code and say no, and the device's next poll is `access_denied`.",
      requests: [
        {
          name: 'Device authorization request',
          description: 'RFC 8628 §3.1: a public client sends its client_id; the answer is §3.2.',
          operation: 'postDeviceAuthorization',
          form: [
            ['client_id', 'tv-app'],
            ['scope', 'openid profile'],
          ],
          status: 200,
          tests: [
            ...status(200),
            ...jsonContent(),
            ...noStore(),
            `const body = pm.response.json();`,
            `pm.test('a user code of 8 letters (RFC 8628 §6.1)', () => pm.expect(body.user_code).to.match(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/));`,
            `pm.test('the verification URI', () => pm.expect(body.verification_uri).to.eql(pm.variables.get('issuer') + '/device'));`,
            ...save('device_code', 'body.device_code'),
            ...save('user_code', 'body.user_code'),
          ],
        },
        {
          name: 'Poll: authorization_pending',
          description: 'RFC 8628 §3.4: the user has not decided yet (§3.5).',
          ...poll,
          tests: [...status(400), ...jsonContent(), ...oauthError('authorization_pending')],
        },
        {
          name: 'Code page',
          description: 'RFC 8628 §3.3.1: the verification URI with the user code, prefilled.',
          operation: 'getDevicePage',
          query: [['user_code', '{{user_code}}']],
          status: 200,
          tests: [...status(200), ...htmlContent()],
        },
        {
          name: 'Enter the code',
          description: 'RFC 8628 §3.3: on to sign-in, or to the confirmation when a sign-in session exists.',
          operation: 'postDevicePage',
          form: [['user_code', '{{user_code}}']],
          noRedirects: true,
          status: 303,
          tests: [
            ...status(303),
            ...LOCATION,
            `const step = next.match(/\\/device\\/([^/]+)\\/(login|confirm)$/);`,
            `pm.test('to a step', () => pm.expect(step).to.be.an('array'));`,
            ...save('device_interaction', 'step[1]'),
            ...save('device_step', 'step[2]'),
          ],
        },
        {
          name: 'Step page',
          description: 'Sign in, or confirm the device (RFC 8628 §5.4).',
          operation: 'getDeviceStepPage',
          url: '{{issuer}}/device/{{device_interaction}}/{{device_step}}',
          noRedirects: true,
          status: 200,
          tests: [
            ...status(200),
            ...htmlContent(),
            `const csrf = (pm.response.text().match(/name="csrf" value="([^"]*)"/) || [])[1];`,
            `pm.collectionVariables.set('csrf', csrf);`,
          ],
        },
        {
          name: 'Say no',
          description: 'Cancel at sign-in, or "No, I did not start it" at the confirmation: nothing is shared.',
          operation: 'postDeviceStepPage',
          url: '{{issuer}}/device/{{device_interaction}}/{{device_step}}',
          form: [
            ['csrf', '{{csrf}}'],
            ['action', 'cancel'],
            ['decision', 'no'],
          ],
          noRedirects: true,
          status: 200,
          tests: [
            ...status(200),
            ...htmlContent(),
            `pm.test('nothing was shared', () => pm.expect(pm.response.text()).to.include('Nothing was shared'));`,
          ],
        },
        {
          name: 'Poll: access_denied',
          description: 'RFC 8628 §3.5: the user said no.',
          ...poll,
          tests: [...status(400), ...jsonContent(), ...oauthError('access_denied')],
        },
      ],
    },
  ];
}
