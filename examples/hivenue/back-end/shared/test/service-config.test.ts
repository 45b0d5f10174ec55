import { readServiceConfig } from '../src/service-config';

const billing = { name: 'billing', defaultPort: 4003 };

describe('readServiceConfig', () => {
  it('uses the service defaults when only MONGODB_URI is set', () => {
    expect(readServiceConfig(billing, { MONGODB_URI: 'mongodb://127.0.0.1:27017' })).toEqual({
      host: '127.0.0.1',
      port: 4003,
      mongoUri: 'mongodb://127.0.0.1:27017',
      databaseName: 'hivenue-billing',
    });
  });

  it('lets PORT, HOST and MONGODB_DB override the defaults', () => {
    const config = readServiceConfig(billing, {
      MONGODB_URI: 'mongodb://127.0.0.1:27017',
      PORT: '5003',
      HOST: '127.0.0.2',
      MONGODB_DB: 'billing-green',
    });

    expect(config).toMatchObject({ host: '127.0.0.2', port: 5003, databaseName: 'billing-green' });
  });

  it('refuses to start without MONGODB_URI', () => {
    expect(() => readServiceConfig(billing, {})).toThrow('MONGODB_URI is not set');
  });

  it('rejects a PORT that is not a TCP port number', () => {
    for (const port of ['http', '-1', '65536', '80.5']) {
      expect(() => readServiceConfig(billing, { MONGODB_URI: 'mongodb://127.0.0.1', PORT: port })).toThrow(/PORT/);
    }
  });
});
