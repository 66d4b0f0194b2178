import {expect, test, type Locator, type Page} from '@playwright/test';
import {walkthroughs, type WalkthroughSlug} from '../../src/walkthroughs/registry';
import type {Catalog, CatalogUser} from '../../src/sandbox/catalog';

/** When the running test first clicked a walkthrough step, by test id (a test may open its page more than once). */
const firstClick = new Map<string, number>();

/**
 * Records, on the running test, the time from its first click on a step to the last step done, sign-in
 * and consent included: the "walkthrough duration" annotation the benchmark reports.
 */
function recordWalkthroughDuration(): void {
  const info = test.info();
  const startedAt = firstClick.get(info.testId);
  if (startedAt === undefined) return;
  const description = `${Date.now() - startedAt} ms`;
  const annotation = info.annotations.find((entry) => entry.type === 'walkthrough duration');
  if (annotation) annotation.description = description;
  else info.annotations.push({type: 'walkthrough duration', description});
}

/** A live walkthrough on its docs page, driven by its buttons and read by its headings, as a reader would. */
export class WalkthroughSection {
  readonly root: Locator;
  readonly status: Locator;
  readonly startOver: Locator;
  readonly resetSandbox: Locator;
  /** The step that is next: the list item marked as the current step. */
  readonly currentStep: Locator;
  /** The current step's own button (the first button inside it). */
  readonly currentAction: Locator;
  readonly alert: Locator;

  constructor(
    readonly page: Page,
    readonly slug: WalkthroughSlug,
  ) {
    this.root = page.getByRole('region', {name: walkthroughs[slug].title});
    this.status = this.root.getByRole('status').first();
    this.startOver = this.root.getByRole('button', {name: 'Start over'}).first();
    this.resetSandbox = this.root.getByRole('button', {name: 'Reset sandbox'});
    this.currentStep = this.root.locator('li[aria-current="step"]');
    this.currentAction = this.currentStep.getByRole('button').first();
    this.alert = this.root.getByRole('alert');
  }

  /**
   * Opens the walkthrough's page (with `query`, e.g. `?issuer=…&client_id=…`), goes to it at once as a
   * reader heading for it would, and waits until its steps are enabled: coming into view, the
   * walkthrough starts the sandbox worker itself, without waiting for the page to be idle.
   */
  static async open(page: Page, slug: WalkthroughSlug, query = ''): Promise<WalkthroughSection> {
    await page.goto(`${walkthroughs[slug].page}${query}`);
    const walkthrough = new WalkthroughSection(page, slug);
    await walkthrough.waitUntilReady();
    return walkthrough;
  }

  /** The heading of step `number` (1-based). */
  stepHeading(number: number): Locator {
    return this.root.getByRole('heading', {level: 3, name: new RegExp(`^Step ${number}\\.`)});
  }

  /** What step `number` produced (its result group). */
  result(number: number): Locator {
    return this.root.getByRole('group', {name: `Result of step ${number}`});
  }

  /** Scrolls to the walkthrough as a reader would (it loads as it nears the viewport) and waits until its steps are enabled. */
  async waitUntilReady(): Promise<void> {
    await this.page.getByRole('heading', {level: 2, name: 'Try it live'}).scrollIntoViewIfNeeded();
    // It loads as it nears the viewport. One already in view as the page opens waits for the reader's
    // first move (or a few seconds), so the page's own loading goes first: a reader's hand on the wheel
    // moves it a little while it loads. On two busy cores all of this can take a while.
    await expect(async () => {
      await this.page.mouse.wheel(0, 1);
      await expect(this.root).toBeVisible({timeout: 500});
    }).toPass({timeout: 20_000});
    await expect(this.status).not.toHaveText('Starting the sandbox…', {timeout: 20_000});
  }

  /** Clicks the step's button and waits for step `number` to be marked done; a failure throws with the alert's text. */
  async run(number: number, action: string): Promise<void> {
    const button = this.root.getByRole('button', {name: action, exact: true});
    await expect(button).toBeEnabled();
    if (!firstClick.has(test.info().testId)) firstClick.set(test.info().testId, Date.now());
    await button.click();
    await this.waitForStep(number);
  }

  /** Waits for step `number` to be done, or throws with the alert's text. */
  async waitForStep(number: number): Promise<void> {
    const done = this.stepHeading(number).filter({hasText: '(done)'});
    await expect(done.or(this.alert).first()).toBeVisible({timeout: 20_000});
    if (await this.alert.isVisible()) throw new Error(`Step ${number} failed: ${await this.alert.innerText()}`);
    recordWalkthroughDuration();
  }

  /** The first demo user, from the catalog the page's sandbox serves. */
  async demoUser(issuer: string): Promise<CatalogUser> {
    const catalog = await this.page.evaluate(
      async (url) => (await fetch(url)).json() as Promise<Catalog>,
      `${issuer}/catalog`,
    );
    const user = catalog.users[0];
    if (!user) throw new Error('the catalog lists no demo user');
    return user;
  }
}
