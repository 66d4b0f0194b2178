import {expect, type Locator, type Page} from '@playwright/test';

/** The endpoint explorer on "Try the endpoints", driven by its labels and buttons as a reader would. */
export class EndpointExplorer {
  static readonly PAGE = 'concepts/try-the-endpoints';
  readonly root: Locator;
  readonly endpoint: Locator;
  readonly grant: Locator;
  readonly client: Locator;
  readonly clientSecret: Locator;
  readonly bearer: Locator;
  readonly send: Locator;
  readonly exchange: Locator;
  readonly refusal: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole('region', {name: 'Endpoint explorer'});
    this.endpoint = this.root.getByLabel('Endpoint', {exact: true});
    this.grant = this.root.getByLabel('Grant type', {exact: true});
    this.client = this.root.getByLabel('Client', {exact: true});
    this.clientSecret = this.root.getByLabel('Client secret', {exact: true});
    this.bearer = this.root.getByLabel('Access token', {exact: true});
    this.send = this.root.getByRole('button', {name: 'Send request'});
    this.exchange = this.root.getByRole('region', {name: 'Request and response'});
    this.refusal = this.root.getByRole('alert');
  }

  /** Opens the page (or `path`, e.g. with a shared fragment), scrolls to the explorer and waits until it is connected. */
  static async open(page: Page, path: string = EndpointExplorer.PAGE): Promise<EndpointExplorer> {
    await page.goto(path);
    // Straight to it, as a reader heading for it would: the explorer starts the sandbox worker itself.
    const explorer = new EndpointExplorer(page);
    await page.getByRole('heading', {level: 2, name: 'Explore the endpoints'}).scrollIntoViewIfNeeded();
    await expect(explorer.root.getByText('Connected to')).toBeVisible({timeout: 20_000});
    return explorer;
  }

  /** A parameter's input (text box or select), by the parameter's name. */
  field(name: string): Locator {
    return this.root.getByLabel(name, {exact: true});
  }

  async choose(label: string | RegExp, grant?: string): Promise<void> {
    const option = this.endpoint.getByRole('option', {name: label, exact: typeof label === 'string'});
    const text = (await option.textContent()) ?? '';
    await this.endpoint.selectOption({label: text});
    if (grant) await this.grant.selectOption(grant);
  }

  /** Sends the request and waits for its exchange. */
  async sendRequest(): Promise<Locator> {
    await this.send.click();
    await expect(this.exchange).toBeVisible({timeout: 20_000});
    return this.exchange;
  }

  /** The response body's code block in the exchange view (its title says so). */
  responseBody(): Locator {
    return this.exchange.locator('.theme-code-block', {hasText: 'Response body'}).locator('pre');
  }

  /** The JSON response body, read from the exchange view. */
  async responseJson(): Promise<Record<string, unknown>> {
    return JSON.parse(await this.responseBody().innerText()) as Record<string, unknown>;
  }

  /** Picks a token obtained earlier from the select next to `field` ("Access token" for bearer, else a parameter name). */
  async useToken(selectLabel: string, option: RegExp): Promise<void> {
    const select = this.root.getByLabel(selectLabel, {exact: true});
    const label = (await select.getByRole('option', {name: option}).first().textContent()) ?? '';
    await select.selectOption({label});
  }
}
