import {expect, test} from '../fixtures';
import {signInAndConsent} from '../pages/sandbox';
import {WalkthroughSection} from '../pages/walkthrough';

const SLUG = 'refresh-tokens';

test.describe('the live refresh-token walkthrough', () => {
  // Chromium reports each refused refresh (HTTP 400 invalid_grant) in the console; those refusals are the point.
  test.use({expectedConsoleErrors: [/status of 400/]});

  test('rotates, detects reuse and revokes the family, signs in again without a login, revokes, introspects, and advises a new authorization', async ({
    page,
    issuer,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);

    await walkthrough.run(1, 'Create PKCE values');
    await walkthrough.run(2, 'Fetch the discovery document');
    await expect(walkthrough.result(2).getByLabel('Endpoints from discovery')).toContainText(`${issuer}/token`);
    await walkthrough.run(3, 'Build the URL');
    await expect(walkthrough.result(3).getByLabel('Authorization request parameters')).toContainText('offline_access');

    await walkthrough.root.getByRole('button', {name: 'Go to the authorization server'}).click();
    await signInAndConsent(page, user);
    await page.waitForURL((url) => url.pathname.endsWith(`/concepts/${SLUG}`));
    await walkthrough.waitForStep(4);
    await walkthrough.run(5, 'Exchange the code');
    await expect(walkthrough.result(5)).toContainText('and a refresh token');

    // Rotation, then the old token again: RFC 9700 §4.14.2 reuse detection.
    await walkthrough.run(6, 'Refresh, then reuse the old one');
    await expect(walkthrough.result(6)).toContainText('became');
    const reuse = walkthrough.result(6).getByRole('note', {name: 'Reused refresh token'});
    await expect(reuse).toContainText('HTTP 400');
    await expect(reuse).toContainText('invalid_grant');

    // The family is revoked: the newest refresh token fails too.
    await walkthrough.run(7, 'Refresh with the newest token');
    const newest = walkthrough.result(7).getByRole('note', {name: 'Refused refresh token'});
    await expect(newest).toContainText('HTTP 400: invalid_grant');
    await expect(newest).toContainText('revoked');

    await walkthrough.run(8, 'Start a new authorization');
    await expect(walkthrough.result(8).getByLabel('Authorization request parameters')).toContainText('offline_access');

    // Single sign-on and a remembered consent: the browser comes straight back, through no sandbox page.
    await expect(walkthrough.currentStep).toContainText('Expect no login page');
    const visited: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname);
    });
    await walkthrough.root.getByRole('button', {name: 'Go to the authorization server'}).click();
    await page.waitForURL((url) => url.pathname.endsWith(`/concepts/${SLUG}`) && url.search === '');
    await walkthrough.waitForStep(9);
    expect(
      visited.filter((path) => path.includes('/interaction/')),
      'sandbox pages shown since the click',
    ).toEqual([]);

    await walkthrough.run(10, 'Exchange the code');
    await expect(walkthrough.result(10)).toContainText('and a refresh token');

    // RFC 7009 §2.2: 200 with an empty body.
    await walkthrough.run(11, 'Revoke the refresh token');
    await expect(walkthrough.result(11)).toContainText('answered 200 with an empty body');
    const revocation = walkthrough.result(11).getByRole('region', {name: /HTTP exchange 1 of 1: POST \S*\/revoke/});
    await expect(revocation).toContainText('token_type_hint');
    await expect(revocation).toContainText('200');

    // RFC 7662 §2.2: revoked is just {"active": false}, for the refresh token and the access token of its grant.
    await walkthrough.run(12, 'Introspect the tokens');
    const introspection = walkthrough.result(12).getByRole('list', {name: 'Introspection results'});
    await expect(introspection.getByRole('listitem')).toHaveCount(2);
    for (const item of await introspection.getByRole('listitem').all())
      await expect(item).toContainText('{"active":false}');
    // The API authenticates with its own credential (HTTP Basic, RFC 7662 §2.1), not as the SPA.
    const introspectRequest = walkthrough
      .result(12)
      .getByRole('region', {name: /HTTP exchange 1 of 2: POST \S*\/introspect/});
    await expect(introspectRequest.getByLabel('Request headers')).toContainText(/authorization/i);

    await walkthrough.run(13, 'Refresh and read the error');
    await expect(walkthrough.result(13).getByRole('note', {name: 'Refused refresh token'})).toContainText(
      'invalid_grant',
    );
    await expect(walkthrough.result(13)).toContainText("The app's advice for this error: sign-in-again");
    await expect(walkthrough.status).toContainText('The walkthrough is complete');

    await axe();
  });
});
