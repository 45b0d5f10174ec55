import { expect, test } from '@playwright/test';

const services = ['ai-model', 'platform', 'billing', 'admin'];

for (const service of services) {
  test(`${service} is healthy behind the router`, async ({ request }) => {
    const response = await request.get(`/api/${service}/healthz`);

    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });
}
