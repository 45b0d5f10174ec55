import { Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { BackendApi } from './backend-api';

export interface UserStats {
  users: number;
  byRole: Record<string, number>;
}

@Injectable({ providedIn: 'root' })
export class AdminApi extends BackendApi {
  readonly service = 'admin';

  stats(): Observable<UserStats> {
    return this.http.get<UserStats>(this.url('/stats'));
  }
}
