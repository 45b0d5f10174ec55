import { startService } from '@hivenue/shared';
import { createUserRoutes } from './user-routes';

startService({ name: 'admin', defaultPort: 4004, createRoutes: createUserRoutes }).catch((error: unknown) => {
  console.error('admin failed to start:', error);
  process.exitCode = 1;
});
