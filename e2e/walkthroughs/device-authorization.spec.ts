import type {FrameLocator, Locator} from '@playwright/test';
import {expect, test} from '../fixtures';
import {WalkthroughSection} from '../pages/walkthrough';
import type {DemoUser} from '../pages/sandbox';

const SLUG = 'device-authorization';

/** The phone panel: the sandbox's verification pages, framed beside the device. */
function phoneOf(walkthrough: WalkthroughSection): FrameLocator {
  return walkthrough.root.frameLocator('iframe[title="Phone: the user\'s browser"]');
}

/** On the phone: the code is filled in (as from the QR code); continue and sign in. */
async function enterCodeAndSignIn(phone: FrameLocator, userCode: string, user: DemoUser): Promise<void> {
  await expect(phone.getByRole('heading', {name: 'Connect a device'})).toBeVisible();
  // RFC 8628 §3.3.1: verification_uri_complete carries the code; the page fills it in.
  await expect(phone.getByRole('textbox', {name: 'Code shown on your device'})).toHaveValue(userCode);
  await phone.getByRole('button', {name: 'Continue'}).click();
  await phone.getByRole('textbox', {name: 'Username'}).fill(user.username);
  await phone.getByRole('textbox', {name: 'Password'}).fill(user.password);
  await phone.getByRole('button', {name: 'Sign in'}).click();
}

/** Runs discovery and the device authorization request, with the code lifetime chosen; returns the user code. */
async function requestCode(walkthrough: WalkthroughSection, lifetime: RegExp = /^10 minutes/): Promise<string> {
  await walkthrough.run(1, 'Fetch the discovery document');
  await expect(walkthrough.result(1)).toContainText('device_authorization_endpoint');
  await walkthrough.currentStep.getByRole('radio', {name: lifetime}).check();
  await walkthrough.run(2, 'Request a device code');
  const response = await walkthrough.result(2).getByLabel('Device authorization response').innerText();
  // RFC 8628 §6.1: 8 letters of an alphabet without vowels or look-alikes, shown in two groups.
  const userCode = /user_code\s+([BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4})\s/.exec(response)?.[1];
  expect(userCode, response).toBeDefined();
  await expect(walkthrough.currentStep.getByText(userCode!, {exact: true})).toBeVisible();
  return userCode!;
}

function pollLog(walkthrough: WalkthroughSection): Locator {
  return walkthrough.currentStep.getByRole('list', {name: 'Polls of the token endpoint'});
}

test.describe('the live device authorization walkthrough', () => {
  // Each authorization_pending, slow_down and refusal is an HTTP 400, which Chromium reports in the console.
  test.use({expectedConsoleErrors: [/status of 400/]});

  test('shows the code and a QR code, polls, slows down when too early, and gets tokens once the phone approves', async ({
    page,
    issuer,
    axe,
  }) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);
    const userCode = await requestCode(walkthrough);

    const device = walkthrough.currentStep.getByRole('region', {name: "Device: the TV's screen"});
    const phoneRegion = walkthrough.currentStep.getByRole('region', {name: 'Phone'});
    await expect(device.getByRole('img', {name: /^QR code of .*\/device\?user_code=/})).toBeVisible();
    await expect(device.getByRole('timer')).toContainText(/The code expires in \d+:\d\d/);
    // Side by side on a wide screen, one above the other on a phone.
    const [deviceBox, phoneBox] = [await device.boundingBox(), await phoneRegion.boundingBox()];
    expect(phoneBox!.x).toBeGreaterThan(deviceBox!.x + deviceBox!.width - 1);
    await page.setViewportSize({width: 360, height: 740});
    const [narrowDevice, narrowPhone] = [await device.boundingBox(), await phoneRegion.boundingBox()];
    expect(narrowPhone!.y).toBeGreaterThan(narrowDevice!.y + narrowDevice!.height - 1);
    expect(narrowDevice!.width).toBeLessThanOrEqual(360);
    await page.setViewportSize({width: 1280, height: 720});

    await walkthrough.currentAction.click();
    await expect(pollLog(walkthrough)).toContainText('authorization_pending');
    // RFC 8628 §3.5: polling before the interval is up gets slow_down, and the interval grows by 5 s.
    await walkthrough.currentStep.getByRole('button', {name: 'Poll now, too early'}).click();
    await expect(pollLog(walkthrough)).toContainText(/slow_down.*next poll in 10 s/);

    const phone = phoneOf(walkthrough);
    await enterCodeAndSignIn(phone, userCode, user);
    // RFC 8628 §5.4: the server names the client and asks whether the user started this.
    await expect(phone.getByRole('heading', {name: 'Did you start this on a device in front of you?'})).toBeVisible();
    await expect(phone.getByText('Acme TV').first()).toBeVisible();
    await phone.getByRole('button', {name: 'Yes, I started it'}).click();
    await phone.getByRole('button', {name: 'Allow'}).click();
    await expect(phone.getByRole('heading', {name: 'Your device is connected'})).toBeVisible();

    await walkthrough.waitForStep(3);
    await expect(walkthrough.result(3).getByRole('list', {name: 'Polls of the token endpoint'})).toContainText(
      'tokens',
    );
    await walkthrough.run(4, 'Fetch the keys and inspect');
    await expect(
      walkthrough
        .result(4)
        .getByRole('region', {name: 'Access token'})
        .getByRole('row', {name: /^Signature/}),
    ).toContainText('Passed', {timeout: 10_000});
    await expect(walkthrough.result(4).getByRole('cell', {name: 'Failed'})).toHaveCount(0);
    await walkthrough.run(5, 'Call GET /events');
    await expect(walkthrough.result(5)).toContainText(/answered 200 with \d+ events/);
    // Once the device has its tokens the phone is gone; the sandbox's own specs check its pages.
    await axe();
  });

  test('answering "No" on the phone ends the polling with access_denied', async ({page, issuer}) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    const user = await walkthrough.demoUser(issuer);
    const userCode = await requestCode(walkthrough);
    await walkthrough.currentAction.click();
    const phone = phoneOf(walkthrough);
    await enterCodeAndSignIn(phone, userCode, user);
    await phone.getByRole('button', {name: 'No, I did not start it'}).click();
    await expect(phone.getByRole('heading', {name: 'Nothing was shared'})).toBeVisible();

    await expect(walkthrough.alert).toContainText('access_denied', {timeout: 20_000});
    await expect(pollLog(walkthrough)).toContainText('access_denied');
    await expect(walkthrough.alert.getByRole('button', {name: 'Start over'})).toBeVisible();
  });

  test('with the 15-second demo lifetime, the code expires and the device stops with expired_token', async ({page}) => {
    const walkthrough = await WalkthroughSection.open(page, SLUG);
    await requestCode(walkthrough, /^15 seconds/);
    await walkthrough.currentAction.click();
    await expect(walkthrough.alert).toContainText('expired_token', {timeout: 30_000});
    await expect(pollLog(walkthrough)).toContainText('expired_token');
    await expect(walkthrough.currentStep.getByText('The code has expired')).toBeVisible();
  });
});
