import {expect, type Locator, type Page} from '@playwright/test';

/** A live walkthrough on a flow page, driven by its buttons and read by its headings. */
export class WalkthroughSection {
  readonly root: Locator;
  readonly status: Locator;
  readonly startOver: Locator;
  readonly resetSandbox: Locator;

  constructor(
    readonly page: Page,
    title: string,
  ) {
    this.root = page.getByRole('region', {name: title});
    this.status = this.root.getByRole('status').first();
    this.startOver = this.root.getByRole('button', {name: 'Start over'});
    this.resetSandbox = this.root.getByRole('button', {name: 'Reset sandbox'});
  }

  /** The heading of step `number` (1-based). */
  stepHeading(number: number): Locator {
    return this.root.getByRole('heading', {level: 3, name: new RegExp(`^Step ${number}\\.`)});
  }

  /** Scrolls to the walkthrough as a reader would (it loads as it nears the viewport) and waits until its steps are enabled. */
  async waitUntilReady(): Promise<void> {
    await this.page.getByRole('heading', {level: 2, name: 'Try it live'}).scrollIntoViewIfNeeded();
    await expect(this.root).toBeVisible();
    await expect(this.status).not.toHaveText('Starting the sandbox…', {timeout: 20_000});
  }

  /** Clicks the step's button and waits for step `number` to be marked done, with focus moved on. */
  async run(number: number, action: string): Promise<void> {
    const button = this.root.getByRole('button', {name: action});
    await expect(button).toBeEnabled();
    await button.click();
    const done = this.stepHeading(number).filter({hasText: '(done)'});
    const failure = this.root.getByRole('alert');
    await expect(done.or(failure).first()).toBeVisible({timeout: 15_000});
    if (await failure.isVisible()) throw new Error(`Step ${number} failed: ${await failure.innerText()}`);
  }
}
