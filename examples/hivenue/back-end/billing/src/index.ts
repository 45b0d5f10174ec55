import { startService } from '@hivenue/shared';
import { createInvoiceRoutes } from './invoice-routes';

startService({ name: 'billing', defaultPort: 4003, createRoutes: createInvoiceRoutes }).catch((error: unknown) => {
  console.error('billing failed to start:', error);
  process.exitCode = 1;
});
