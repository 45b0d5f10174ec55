import { expect, test } from '@playwright/test';

test('the footer shows the live release and its colour', async ({ page, request }) => {
  await page.goto('/');

  const release = page.getByTestId('release');
  const colour = page.getByTestId('colour');
  await expect(release).not.toBeEmpty();
  await expect(colour).not.toBeEmpty();

  // The page must show what the platform reports, not a value baked into the build.
  const version = await (await request.get('/api/platform/version')).json();
  await expect(release).toHaveText(version.release);
  await expect(colour).toHaveText(version.colour);
});
