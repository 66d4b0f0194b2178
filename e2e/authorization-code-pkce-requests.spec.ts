import {expect, test} from './fixtures';

// The PKCE flow's companion page: its requests one by one, reached from the flow's page and leading back to its walkthrough.
// Its code blocks in both colour schemes, with axe, are e2e/page-load.spec.ts's.
test.describe('PKCE, request by request', () => {
  test("is reached from the flow's page and shows each request, and leads to the live walkthrough", async ({
    page,
    axe,
  }) => {
    await page.goto('flows/authorization-code-pkce');
    await page.getByRole('main').getByRole('link', {name: 'PKCE, request by request', exact: true}).first().click();
    await expect(page.getByRole('main').getByRole('heading', {level: 1})).toHaveText(
      'Authorization Code with PKCE, request by request',
    );
    const main = page.getByRole('main');
    for (const step of [
      '1. Create the verifier, challenge, state and nonce',
      '6. Exchange the code and the verifier for tokens',
      '8. Refresh when the access token expires',
    ]) {
      await expect(main.getByRole('heading', {level: 2, name: step})).toBeVisible();
    }
    await expect(
      main.locator('pre').filter({hasText: 'code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'}),
    ).toBeVisible();
    await axe(page, {withCode: true});

    await main.getByRole('link', {name: 'live walkthrough'}).click();
    await expect(page).toHaveURL(/\/flows\/authorization-code-pkce#try-it-live$/);
    await expect(page.getByRole('region', {name: /^Live walkthrough:/})).toBeVisible();
  });
});
