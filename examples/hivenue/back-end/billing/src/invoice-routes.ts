import { HttpError, parseListLimit, parseObjectId, toResource } from '@hivenue/shared';
import { Router } from 'express';
import { type Db, ObjectId } from 'mongodb';
import type { Invoice } from './invoice';
import { parseInvoiceRequest } from './invoice-request';
import { computeInvoiceTotals } from './invoice-totals';

/** POST /invoices, GET /invoices/:id and GET /invoices?customer= on the `invoices` collection. */
export async function createInvoiceRoutes(db: Db): Promise<Router> {
  const invoices = db.collection<Invoice>('invoices');
  await invoices.createIndex({ customer: 1, createdAt: -1 });

  const routes = Router();

  routes.post('/invoices', async (req, res) => {
    const request = parseInvoiceRequest(req.body);
    const invoice: Invoice = {
      _id: new ObjectId(),
      customer: request.customer,
      currency: request.currency,
      taxRateBasisPoints: request.taxRateBasisPoints,
      ...computeInvoiceTotals(request.lineItems, request.taxRateBasisPoints),
      createdAt: new Date(),
    };
    await invoices.insertOne(invoice);
    // Relative, so it stays right behind the router that adds the /api/billing/ prefix.
    res.status(201).location(`invoices/${invoice._id.toHexString()}`).json(toResource(invoice));
  });

  routes.get('/invoices/:id', async (req, res) => {
    const invoice = await invoices.findOne({ _id: parseObjectId(req.params.id, 'invoice') });
    if (!invoice) throw new HttpError(404, 'invoice not found');
    res.json(toResource(invoice));
  });

  routes.get('/invoices', async (req, res) => {
    const { customer } = req.query;
    if (typeof customer !== 'string' || customer === '') throw new HttpError(400, 'customer is required');
    const limit = parseListLimit(req.query.limit, { fallback: 50, max: 200 });

    const found = await invoices.find({ customer }).sort({ createdAt: -1, _id: -1 }).limit(limit).toArray();
    res.json(found.map(toResource));
  });

  return routes;
}
