import { Router } from 'express';
import { type RunningService, startService } from '../src/start-service';

function pingRoutes(): Router {
  return Router().get('/ping', (_req, res) => {
    res.json({ pong: true });
  });
}

describe('startService', () => {
  // Stands in for SIGTERM, which would also reach jest's own handlers.
  const signal = 'SIGUSR2';
  const env = { MONGODB_URI: process.env.MONGODB_URI, MONGODB_DB: 'start-service-test', PORT: '0' };
  let service: RunningService | undefined;
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);

  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });
  afterAll(() => log.mockRestore());

  it('serves health, version and its own routes on the port from the environment', async () => {
    service = await startService({
      name: 'platform',
      defaultPort: 4002,
      createRoutes: pingRoutes,
      env,
      shutdownSignals: [signal],
    });

    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${service.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${service.url}/version`)).json()).toMatchObject({ service: 'platform' });
    expect(await (await fetch(`${service.url}/ping`)).json()).toEqual({ pong: true });
  });

  it('shuts down when it receives a shutdown signal', async () => {
    const running = await startService({
      name: 'platform',
      defaultPort: 4002,
      createRoutes: pingRoutes,
      env,
      shutdownSignals: [signal],
    });

    process.emit(signal, signal);
    expect(log).toHaveBeenCalledWith(`platform received ${signal}, shutting down`);
    await running.stop(); // the shutdown the signal began

    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    expect(process.listenerCount(signal)).toBe(0);
  });
});
