import { Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { BackendApi } from './backend-api';

export interface Project {
  _id: string;
  name: string;
  owner: string;
  /** ISO 8601 timestamp. */
  createdAt: string;
}

@Injectable({ providedIn: 'root' })
export class PlatformApi extends BackendApi {
  readonly service = 'platform';

  projects(): Observable<Project[]> {
    return this.http.get<Project[]>(this.url('/projects'));
  }
}
