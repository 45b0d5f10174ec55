import { Router } from 'express';
import request from 'supertest';
import { createServiceApp } from '../src/create-service-app';
import { HttpError } from '../src/http-error';

function routesThatFail(): Router {
  const routes = Router();
  routes.get('/teapot', () => {
    throw new HttpError(418, 'short and stout');
  });
  routes.get('/crash', async () => {
    throw new Error('database password is hunter2');
  });
  routes.post('/echo', (req, res) => {
    res.json(req.body);
  });
  return routes;
}

describe('createServiceApp', () => {
  describe('GET /healthz', () => {
    it('answers 200 when the database ping succeeds', async () => {
      const app = createServiceApp({ name: 'billing', ping: async () => ({ ok: 1 }) });

      await request(app).get('/healthz').expect(200, { status: 'ok' });
    });

    it('answers 503 when the database ping fails', async () => {
      const app = createServiceApp({
        name: 'billing',
        ping: async () => {
          throw new Error('connection refused');
        },
      });

      await request(app).get('/healthz').expect(503, { status: 'unavailable' });
    });
  });

  describe('GET /version', () => {
    const saved = { ...process.env };
    afterEach(() => {
      process.env = { ...saved };
    });

    it('reports the service and the release it runs', async () => {
      process.env.WAGGLE_RELEASE = 'r7';
      process.env.WAGGLE_COMMIT = 'abc1234';
      process.env.WAGGLE_COLOUR = 'blue';

      await request(createServiceApp({ name: 'admin' }))
        .get('/version')
        .expect(200, { service: 'admin', release: 'r7', commit: 'abc1234', colour: 'blue' });
    });
  });

  describe('errors', () => {
    const app = createServiceApp({ name: 'billing', routes: routesThatFail() });

    it('answers client errors with their status and message', async () => {
      await request(app).get('/teapot').expect(418, { error: 'short and stout' });
    });

    it('hides the details of unexpected errors', async () => {
      const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);

      await request(app).get('/crash').expect(500, { error: 'internal server error' });
      expect(consoleError).toHaveBeenCalled();
      consoleError.mockRestore();
    });

    it('answers malformed JSON bodies with 400 in JSON', async () => {
      const response = await request(app)
        .post('/echo')
        .set('content-type', 'application/json')
        .send('{"unterminated"')
        .expect(400);

      expect(response.body).toEqual({ error: expect.any(String) });
    });

    it('answers unknown routes with 404 in JSON', async () => {
      await request(app).get('/nowhere').expect(404, { error: 'no route for GET /nowhere' });
    });
  });
});
