import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { inject } from '@angular/core';
import { Observable } from 'rxjs';

/** The back-end services the router exposes under `/api/<service>/`. */
export const BACKEND_SERVICES = ['ai-model', 'platform', 'billing', 'admin'] as const;
export type BackendService = (typeof BACKEND_SERVICES)[number];

/**
 * Body of `GET /api/<service>/healthz`: `{ status: 'ok' }`, or `{ status: 'unavailable' }` with
 * status 503 when the service cannot reach its database.
 */
export interface Health {
  status: string;
}

/**
 * Body of a service's error answers (all but `/healthz`'s 503): 4xx carry a message meant for
 * the user, 5xx only `internal server error`.
 */
export interface ApiError {
  error: string;
}

/**
 * The message of a service's 4xx answer (`{ "error": "..." }`), which is safe to show; `undefined`
 * for anything else (5xx, network failures, a router's own error page).
 */
export function clientErrorMessage(failure: unknown): string | undefined {
  if (!(failure instanceof HttpErrorResponse) || failure.status < 400 || failure.status > 499) {
    return undefined;
  }
  const body = failure.error as Partial<ApiError> | null;
  return typeof body?.error === 'string' && body.error !== '' ? body.error : undefined;
}

/** Body of `GET /api/<service>/version`: which build of a service answered, and on which colour. */
export interface ServiceVersion {
  service: string;
  release: string;
  commit: string;
  colour: string;
}

/**
 * What every back-end service answers. The router serves the services on the page's own origin,
 * so the URLs are absolute paths and the app needs no per-environment configuration.
 */
export abstract class BackendApi {
  protected readonly http = inject(HttpClient);

  abstract readonly service: BackendService;

  healthz(): Observable<Health> {
    return this.http.get<Health>(this.url('/healthz'));
  }

  version(): Observable<ServiceVersion> {
    return this.http.get<ServiceVersion>(this.url('/version'));
  }

  protected url(path: string): string {
    return `/api/${this.service}${path}`;
  }
}
