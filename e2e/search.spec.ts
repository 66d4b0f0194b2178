import {expect, test} from './fixtures';

test.describe('offline search', () => {
  test('finds the refresh tokens page for "refresh token rotation"', async ({page, axe, baseURL}) => {
    // The index is not part of the first load: it is fetched once the reader uses the box.
    const indexRequests: string[] = [];
    page.on('request', (request) => {
      if (/search-index.*\.json/.test(request.url())) indexRequests.push(request.url());
    });
    await page.goto('flows/client-credentials');
    await page.waitForLoadState('networkidle');
    expect(indexRequests, 'no search index before the search box is used').toEqual([]);

    const search = page.getByRole('navigation', {name: 'Main'}).getByLabel('Search');
    await search.click();
    await search.pressSequentially('refresh token rotation');
    const results = page.getByRole('listbox');
    await expect(results).toBeVisible();
    expect(indexRequests.length).toBeGreaterThan(0);

    // The concept page itself, not a page that mentions refresh tokens on the way (the theft lab does).
    await results
      .getByRole('option', {name: /› Refresh tokens$/})
      .first()
      .click();
    await expect(page).toHaveURL((url) => url.pathname === new URL('concepts/refresh-tokens', baseURL).pathname);
    await expect(page.getByRole('heading', {level: 1})).toHaveText(/refresh tokens/i);
    await axe();
  });
});
