import {expect, type Page} from '@playwright/test';

/**
 * Checks that each shown file (a FlowSource block, named "Source: <path>") marks exactly one line, and
 * that it is the given one: the line a security lab says makes the difference.
 */
export async function expectMarkedLines(
  page: Page,
  marks: ReadonlyArray<readonly [file: string, line: string]>,
): Promise<void> {
  for (const [file, line] of marks) {
    const shown = page.getByRole('region', {name: `Source: ${file}`});
    await shown.scrollIntoViewIfNeeded();
    // `theme-code-block-highlighted-line` is Docusaurus's stable class for a highlighted line.
    const marked = shown.locator('.theme-code-block-highlighted-line');
    await expect(marked).toHaveCount(1);
    await expect(marked).toContainText(line);
  }
}
