import {expect, test} from './fixtures';

test.describe('Try the endpoints', () => {
  test('the Postman collection downloads as a v2.1 collection for the Node sandbox', async ({page, request, axe}) => {
    await page.goto('concepts/try-the-endpoints');
    const link = page.getByRole('link', {name: 'download the Postman collection'});
    await expect(link).toBeVisible();
    await expect(link).toHaveAttribute('download', 'oauth-flows-sandbox.postman_collection.json');
    const href = await link.getAttribute('href');
    expect(href).toBeTruthy();
    // The link is resolved the way the browser would, so a base URL is taken into account.
    const response = await request.get(new URL(href!, page.url()).href);
    expect(response.status()).toBe(200);
    const collection = (await response.json()) as {info: {schema: string}; variable: unknown[]; item: unknown[]};
    expect(collection.info.schema).toBe('https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
    expect(collection.variable).toContainEqual(
      expect.objectContaining({key: 'issuer', value: 'http://localhost:4000/sandbox'}),
    );
    expect(collection.item.length).toBeGreaterThan(0);
    await axe();
  });
});
