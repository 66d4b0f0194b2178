import {expect, test} from '../fixtures';
import {expectMarkedLines} from '../pages/flow-source';
import {WalkthroughSection} from '../pages/walkthrough';
import type {CatalogUser} from '../../src/sandbox/catalog';

const SLUG = 'device-code-phishing';

/**
 * Runs the lab up to the victim's answer: the attacker's device starts the flow and writes the message,
 * the reader starts the polling and, as the victim, follows the link in the phone panel, signs in when
 * the server asks, and answers: with the confirmation on, "No" as a victim who reads it; without it,
 * "Allow" on the consent page, since Acme TV is the app the message was about.
 */
async function phish(walkthrough: WalkthroughSection, user: CatalogUser, defence: 'Off' | 'On'): Promise<void> {
  await walkthrough.root.getByRole('radio', {name: new RegExp(`^${defence}:`)}).check();
  await walkthrough.run(1, 'Start this run');
  await expect(walkthrough.result(1)).toContainText(defence === 'On' ? 'lab-tv-confirmed' : 'lab-tv-unconfirmed');
  await walkthrough.run(2, 'Start the device flow as the attacker');
  await expect(walkthrough.result(2)).toContainText(`lives ${defence === 'On' ? '5' : '30'} minutes`);
  await expect(walkthrough.result(2).getByLabel('Device authorization response')).toContainText(/[A-Z]{4}-[A-Z]{4}/);
  await walkthrough.run(3, 'Send the message');
  const message = walkthrough.result(3).getByRole('article', {name: "The attacker's message"});
  await expect(message).toContainText('your subscription is paused');
  await expect(message.getByRole('link')).toHaveAttribute('href', /\/sandbox\/device\?user_code=[A-Z]{4}-[A-Z]{4}$/);

  await walkthrough.currentStep.getByRole('button', {name: "Poll as the attacker's device"}).click();
  const phone = walkthrough.currentStep.frameLocator('iframe[title="Phone: the user\'s browser"]');
  await expect(phone.getByRole('heading', {name: 'Connect a device'})).toBeVisible();
  await expect(phone.getByRole('textbox', {name: 'Code shown on your device'})).toHaveValue(/^[A-Z]{4}-[A-Z]{4}$/);
  await phone.getByRole('button', {name: 'Continue'}).click();
  // The second run may find the first run's session: then the server skips the sign-in.
  const signIn = phone.getByRole('heading', {level: 1, name: 'Sign in'});
  const next = phone.getByRole('heading', {
    level: 1,
    name: defence === 'On' ? 'Did you start this on a device in front of you?' : /^Authorize /,
  });
  await expect(signIn.or(next).first()).toBeVisible();
  if (await signIn.isVisible()) {
    await phone.getByLabel('Username').fill(user.username);
    await phone.getByLabel('Password').fill(user.password);
    await phone.getByRole('button', {name: 'Sign in'}).click();
  }
  if (defence === 'On') {
    await expect(next).toBeVisible();
    await expect(phone.getByRole('main')).toContainText('Acme TV');
    await phone.getByRole('button', {name: 'No, I did not start it'}).click();
    await expect(phone.getByRole('heading', {name: 'Nothing was shared'})).toBeVisible();
  } else {
    await expect(next).toBeVisible();
    await phone.getByRole('button', {name: 'Allow'}).click();
    await expect(phone.getByRole('heading', {name: 'Your device is connected'})).toBeVisible();
  }
  await walkthrough.waitForStep(4);
}

test.describe('the device-code phishing lab', () => {
  // The browser reports each 400 of the polling (authorization_pending, then access_denied) in the console.
  test.use({expectedConsoleErrors: [/status of 400/]});

  test("without the confirmation the victim's approval hands the attacker's device tokens and the calendar; with it the victim says no and the poll gets access_denied", async ({
    page,
    issuer,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);

    await phish(walkthrough, user, 'Off');
    await expect(walkthrough.result(4).getByLabel('Polls of the token endpoint')).toContainText('tokens');
    await walkthrough.run(5, 'Call the API as the attacker');
    const succeeded = walkthrough.result(5).getByRole('note', {name: 'Attack succeeded'});
    await expect(succeeded).toContainText('answered 200');
    await expect(succeeded).toContainText(`caller.sub is ${user.sub}`);
    // One accessibility check: it takes longer than the run, and the refusal's view is the other labs' too.
    await axe();

    await walkthrough.startOver.click();
    await phish(walkthrough, user, 'On');
    await expect(walkthrough.result(4)).toContainText('HTTP 400: access_denied');
    await walkthrough.run(5, 'Call the API as the attacker');
    await expect(walkthrough.result(5).getByRole('note', {name: 'Attack refused'})).toContainText('access_denied');
    await expect(walkthrough.result(5).getByRole('region', {name: /HTTP exchange/})).toHaveCount(0);
  });
});

test.describe('the device-code phishing lab page', () => {
  test("marks the server's confirmation line and the attacker's link", async ({page}) => {
    await page.goto('security/device-code-phishing');
    await expectMarkedLines(page, [
      ['src/sandbox/endpoints/device-pages.ts', '!skipsDeviceConfirmation(client)) return'],
      ['src/flows/labs/device-code-phishing.ts', 'const link = authorization.verification_uri_complete'],
    ]);
  });
});
