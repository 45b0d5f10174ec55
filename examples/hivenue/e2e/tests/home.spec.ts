import { expect, test } from '@playwright/test';

test('the home page loads and lists projects', async ({ page, request }) => {
  await page.goto('/');

  await expect(page).toHaveTitle('Hivenue');
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await expect(page.getByTestId('project-item').first()).toBeVisible();
  await expect(page.getByTestId('projects-error')).toHaveCount(0);

  // The page lists what the platform serves, newest first.
  const projects: { name: string; slug: string }[] = await (
    await request.get('/api/platform/projects')
  ).json();
  await expect(page.getByTestId('project-name')).toHaveText(projects.map((p) => p.name));
  await expect(page.getByTestId('project-slug')).toHaveText(projects.map((p) => p.slug));
});
