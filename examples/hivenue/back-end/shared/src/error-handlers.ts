import type { ErrorRequestHandler, RequestHandler } from 'express';

/** Answers unknown routes in JSON, like every other response of the service. */
export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: `no route for ${req.method} ${req.path}` });
};

/**
 * Turns any error into a JSON response. Client errors (HttpError, malformed JSON bodies) keep
 * their status and message; anything else is logged and answered with a generic 500, so
 * internals never leak to clients.
 */
export const jsonErrorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const status = clientErrorStatus(error);
  if (status === undefined) {
    console.error(error);
    res.status(500).json({ error: 'internal server error' });
    return;
  }
  res.status(status).json({ error: error.message });
};

function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true) return undefined;
  return status;
}
