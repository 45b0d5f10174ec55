import { Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { BackendApi } from './backend-api';

/** A project as `GET /api/platform/projects` lists it. */
export interface Project {
  /** The document's ObjectId as a hex string (the back-end never sends Mongo's `_id`). */
  id: string;
  name: string;
  /** URL-safe handle derived from the name, unique across projects: "Café Ops!" -> "cafe-ops". */
  slug: string;
  /** Empty when the project was created without one. */
  description: string;
  /** ISO 8601 timestamp. */
  createdAt: string;
}

@Injectable({ providedIn: 'root' })
export class PlatformApi extends BackendApi {
  readonly service = 'platform';

  /** The newest projects first (the platform returns at most 50 unless asked for more). */
  projects(): Observable<Project[]> {
    return this.http.get<Project[]>(this.url('/projects'));
  }
}
