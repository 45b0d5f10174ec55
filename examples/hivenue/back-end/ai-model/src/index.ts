import { startService } from '@hivenue/shared';
import { createPredictionRoutes } from './prediction-routes';

startService({ name: 'ai-model', defaultPort: 4001, createRoutes: createPredictionRoutes }).catch((error: unknown) => {
  console.error('ai-model failed to start:', error);
  process.exitCode = 1;
});
