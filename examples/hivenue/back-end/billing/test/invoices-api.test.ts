import { createServiceApp } from '@hivenue/shared';
import type { Express } from 'express';
import request from 'supertest';
import { openTestDatabase, type TestDatabase } from '../../../tools/jest/test-database';
import { createInvoiceRoutes } from '../src/invoice-routes';

describe('invoices API', () => {
  let database: TestDatabase;
  let app: Express;

  beforeAll(async () => {
    database = await openTestDatabase('billing-invoices');
    app = createServiceApp({ name: 'billing', routes: await createInvoiceRoutes(database.db) });
  });
  afterAll(() => database.dispose());

  function createInvoice(customer: string, unitPriceCents: number) {
    return request(app)
      .post('/invoices')
      .send({ customer, taxRateBasisPoints: 2000, lineItems: [{ description: 'Inference', quantity: 4, unitPriceCents }] })
      .expect(201);
  }

  it('creates an invoice with its totals and serves it back by id', async () => {
    const created = await createInvoice('acme', 500);

    expect(created.body).toMatchObject({ customer: 'acme', subtotalCents: 2000, taxCents: 400, totalCents: 2400 });
    expect(created.headers.location).toBe(`invoices/${created.body.id}`);

    const fetched = await request(app).get(`/invoices/${created.body.id}`).expect(200);
    expect(fetched.body).toEqual(created.body);
  });

  it("lists a customer's invoices, newest first, and no one else's", async () => {
    const first = await createInvoice('globex', 100);
    const second = await createInvoice('globex', 200);
    await createInvoice('initech', 300);

    const listed = await request(app).get('/invoices').query({ customer: 'globex' }).expect(200);

    expect(listed.body.map((invoice: { id: string }) => invoice.id)).toEqual([second.body.id, first.body.id]);
  });

  it('answers 400 for an invalid invoice and stores nothing', async () => {
    const response = await request(app).post('/invoices').send({ customer: 'umbrella', lineItems: [] }).expect(400);

    expect(response.body.error).toMatch(/lineItems/);
    await request(app).get('/invoices').query({ customer: 'umbrella' }).expect(200, []);
  });

  it('answers 404 for an invoice that does not exist', async () => {
    await request(app).get('/invoices/65a1b2c3d4e5f60718293a4b').expect(404, { error: 'invoice not found' });
    await request(app).get('/invoices/not-an-id').expect(404);
  });
});
