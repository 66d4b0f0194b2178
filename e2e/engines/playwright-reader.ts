import type {Page} from '@playwright/test';
import {
  describeTarget,
  locateInPage,
  pointInPage,
  serializeTarget,
  type Engine,
  type Reader,
  type Target,
} from './reader';

/** How long an action waits for its target to appear. */
const FIND_TIMEOUT_MS = 20_000;

/** A reader's browser driven by Playwright: Chromium over CDP, Firefox over WebDriver BiDi. */
export class PlaywrightReader implements Reader {
  private readonly errors: string[] = [];

  constructor(
    readonly engine: Engine,
    readonly page: Page,
  ) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(`console.error: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.errors.push(`uncaught: ${error.message}`));
  }

  async goto(url: string): Promise<void> {
    await this.page.goto(url);
  }

  async url(): Promise<string> {
    return this.page.url();
  }

  async evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
    return this.page.evaluate(fn as unknown as (arg: unknown) => R, arg as unknown);
  }

  /** A real pointer click at the target's centre, once nothing covers it (WebDriver's Element Click does the same). */
  async click(target: Target): Promise<void> {
    const {x, y} = await this.pointAt(target);
    await this.page.mouse.click(x, y);
  }

  /** Clicks into the field, selects what it holds and types the value over it. */
  async fill(target: Target, value: string): Promise<void> {
    await this.click(target);
    await this.page.evaluate(() => {
      // Inside a frame, the top document's active element is the frame: the field is its document's.
      let active = document.activeElement;
      while (active instanceof HTMLIFrameElement && active.contentDocument)
        active = active.contentDocument.activeElement;
      (active as HTMLInputElement | null)?.select();
    });
    await this.page.keyboard.insertText(value);
  }

  pageErrors(): string[] {
    return this.errors;
  }

  /**
   * One round trip per look: the engine's own driver protocol is slow per call in some engines (a
   * Firefox evaluate over BiDi takes 100-250 ms), so finding, scrolling and the hit test happen together.
   */
  private async pointAt(target: Target): Promise<{x: number; y: number}> {
    const argument = {target: serializeTarget(target), locate: locateInPage.toString()};
    const deadline = Date.now() + FIND_TIMEOUT_MS;
    for (;;) {
      const point = await this.page.evaluate(pointInPage, argument).catch(() => null);
      if (point) return point;
      if (Date.now() > deadline) throw new Error(`No ${describeTarget(target)} to click on ${this.page.url()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
