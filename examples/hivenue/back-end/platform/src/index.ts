import { startService } from '@hivenue/shared';
import { createProjectRoutes } from './project-routes';

startService({ name: 'platform', defaultPort: 4002, createRoutes: createProjectRoutes }).catch((error: unknown) => {
  console.error('platform failed to start:', error);
  process.exitCode = 1;
});
