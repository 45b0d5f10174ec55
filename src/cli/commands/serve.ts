import type { Command } from 'commander';
import { findConfigFile, loadConfig } from '../../config/load.js';
import { describeStepIsolation } from '../../exec/step-user.js';
import { createServer } from '../../server/server.js';
import { Store } from '../../store/store.js';
import { homeOfConfig } from '../home.js';
import { UsageError } from '../usage-error.js';

interface ServeOptions {
  config?: string;
  port?: string;
  host?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('webhook receiver + API + dashboard, and the worker that runs queued runs')
    .option('-c, --config <file>', 'config file (default: waggle.yml here or at the git root)')
    .option('--port <n>', 'port to listen on (default: server.port, 8340)')
    .option('--host <address>', 'address to listen on (default: server.host, 127.0.0.1)')
    .addHelpText(
      'after',
      '\nEnvironment: WAGGLE_WEBHOOK_SECRET (required) is the secret of the GitHub webhook, which\n' +
        'points at <publicUrl>/webhooks/github with content type application/json and the push event.\n' +
        "Runs build from a mirror of server.repository (default: this checkout's git repository).",
    )
    .action(async (options: ServeOptions) => {
      const configFile = findConfigFile(options.config);
      const { config } = loadConfig(configFile);
      const webhookSecret = process.env.WAGGLE_WEBHOOK_SECRET;
      if (!webhookSecret)
        throw new UsageError('WAGGLE_WEBHOOK_SECRET is not set: set it to the GitHub webhook secret');
      const port = options.port === undefined ? config.server.port : Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port must be 0-65535, not "${options.port}"`);
      const home = homeOfConfig(configFile);
      const store = Store.open(home);
      const server = await createServer({ store, home, config, configFile, webhookSecret, logger: true });
      const url = await server.listen(port, options.host ?? config.server.host);
      console.error(
        `waggle server listening at ${url} (webhook: ${config.server.publicUrl ?? url}/webhooks/github)`,
      );
      const isolation = describeStepIsolation();
      console.error(isolation.ok ? isolation.detail : `warning: ${isolation.detail}; ${isolation.fix ?? ''}`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          console.error('waggle server stopping…');
          server
            .close()
            .then(() => store.close())
            .then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
