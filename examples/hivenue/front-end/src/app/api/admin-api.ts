import { Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { BackendApi } from './backend-api';

/** Body of `GET /api/admin/stats`. */
export interface UserStats {
  total: number;
  /** A count for every role admin knows (admin, member, viewer), 0 for roles without users. */
  byRole: Record<string, number>;
}

@Injectable({ providedIn: 'root' })
export class AdminApi extends BackendApi {
  readonly service = 'admin';

  stats(): Observable<UserStats> {
    return this.http.get<UserStats>(this.url('/stats'));
  }
}
