import { expect, test } from '@playwright/test';

test('the home page loads and lists projects', async ({ page, request }) => {
  // A project of its own, so the test passes on an environment with no data yet (a fresh staging).
  const name = `e2e ${Date.now()} ${Math.random().toString(36).slice(2, 8)}`;
  const created = await request.post('/api/platform/projects', { data: { name } });
  expect(created.status()).toBe(201);

  await page.goto('/');

  await expect(page).toHaveTitle('Hivenue');
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await expect(page.getByTestId('project-item').first()).toBeVisible();
  await expect(page.getByTestId('projects-error')).toHaveCount(0);

  // The page lists what the platform serves, newest first.
  const projects: { name: string; slug: string }[] = await (
    await request.get('/api/platform/projects')
  ).json();
  expect(projects.map((p) => p.name)).toContain(name);
  await expect(page.getByTestId('project-name')).toHaveText(projects.map((p) => p.name));
  await expect(page.getByTestId('project-slug')).toHaveText(projects.map((p) => p.slug));
});
