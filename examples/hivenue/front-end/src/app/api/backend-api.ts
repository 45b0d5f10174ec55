import { HttpClient } from '@angular/common/http';
import { inject } from '@angular/core';
import { Observable } from 'rxjs';

/** The back-end services the router exposes under `/api/<service>/`. */
export const BACKEND_SERVICES = ['ai-model', 'platform', 'billing', 'admin'] as const;
export type BackendService = (typeof BACKEND_SERVICES)[number];

/** Body of `GET /api/<service>/healthz`. */
export interface Health {
  status: string;
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
