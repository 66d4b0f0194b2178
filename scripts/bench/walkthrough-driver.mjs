// Runs a page's live walkthrough the fastest way a reader could: clicks each step's button as soon as
// it is enabled, signs in and consents on the sandbox's pages with the catalog's first demo user, and
// stops when the walkthrough says it is complete. No checks between steps: this measures the
// walkthrough (plus Playwright's own round trips, some 20-100 ms a step), not a test. A security lab
// is driven one run at a time, with its defence off or on (`defence`): the reader's choice of the
// radio button is its first click.

/** Milliseconds from the first click to "The walkthrough is complete", a reason it did not finish, or undefined for a page without a walkthrough. */
export async function driveWalkthrough(browser, origin, path, {stepTimeoutMs = 15_000, defence} = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${origin}${path}`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {timeout: 30_000});
    const tryIt = page.getByRole('heading', {level: 2, name: 'Try it live'});
    if ((await tryIt.count()) === 0) return undefined;
    await tryIt.scrollIntoViewIfNeeded();
    const region = page.getByRole('region', {name: /^(Live walkthrough|Security lab):/});
    await region.waitFor({timeout: 30_000});
    const user = (await page.evaluate(async (url) => (await fetch(url)).json(), `${origin}/sandbox/catalog`)).users[0];
    const status = region.getByRole('status').first();
    await page.waitForFunction(
      (element) => !element.textContent.includes('Starting the sandbox'),
      await status.elementHandle(),
      {timeout: 30_000},
    );

    // A lab's choice of defence: its radio button, which the lab shows with its first step.
    const defenceChoice =
      defence === undefined ? undefined : region.getByRole('radio', {name: new RegExp(`^${defence}:`)});
    await defenceChoice?.waitFor({timeout: stepTimeoutMs});

    const started = Date.now();
    await defenceChoice?.check({timeout: stepTimeoutMs});
    while (Date.now() - started < 60_000) {
      // One look at the page per action: where the browser is and what the walkthrough shows.
      const state = await page
        .evaluate((own) => {
          if (location.pathname !== own) return {onPage: false};
          const region = [...document.querySelectorAll('section[aria-label]')].find((element) =>
            /^(Live walkthrough|Security lab):/.test(element.getAttribute('aria-label')),
          );
          const status = region?.querySelector('[role="status"]')?.textContent ?? '';
          const alert = region?.querySelector('[role="alert"]');
          const step = region?.querySelector('li[aria-current="step"]');
          const current = step?.querySelector('h3')?.textContent;
          const enabled = step?.querySelector('button')?.disabled === false;
          return {
            onPage: true,
            complete: status.includes('The walkthrough is complete'),
            alert: alert?.textContent,
            current,
            enabled,
          };
        }, path)
        .catch(() => ({onPage: false}));
      if (state.complete) return {ms: Date.now() - started};
      if (!state.onPage) {
        // The sandbox's sign-in and consent pages, or a demo web app passing the browser on.
        const signIn = page.getByRole('button', {name: 'Sign in'});
        const allow = page.getByRole('button', {name: 'Allow'});
        await signIn.or(allow).or(region).first().waitFor({timeout: stepTimeoutMs});
        if (await signIn.isVisible()) {
          await page.getByLabel('Username').fill(user.username);
          await page.getByLabel('Password').fill(user.password);
          await signIn.click();
        } else if (await allow.isVisible()) {
          await allow.click();
        }
        await page.waitForLoadState();
        continue;
      }
      if (state.alert) return {error: state.alert.slice(0, 120)};
      if (state.current === undefined || !state.enabled) {
        // Starting, or finishing a step on its own (the one the browser came back to): not the reader's turn yet.
        await page.waitForTimeout(10);
        continue;
      }
      // This step's own button: a locator that could move on to the next step would click it too early.
      const step = region
        .locator('li[aria-current="step"]')
        .filter({has: page.getByRole('heading', {level: 3, name: state.current, exact: true})});
      await step.getByRole('button').first().click({timeout: stepTimeoutMs});
      // Done when the current step moves on, the walkthrough fails, or the browser leaves the page.
      await page
        .waitForFunction(
          ({before, path: own}) => {
            if (location.pathname !== own) return true;
            const title = document.querySelector('li[aria-current="step"] h3')?.textContent;
            return title !== before || document.querySelector('[role="alert"]') !== null;
          },
          {before: state.current, path},
          {timeout: stepTimeoutMs, polling: 'raf'},
        )
        .catch(() => undefined);
    }
    return {error: 'did not complete within 60 s'};
  } catch (error) {
    return {
      error: String(error?.message ?? error)
        .split('\n')[0]
        .slice(0, 120),
    };
  } finally {
    await context.close();
  }
}
