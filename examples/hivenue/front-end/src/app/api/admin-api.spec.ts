import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { AdminApi, UserStats } from './admin-api';

describe('AdminApi', () => {
  let api: AdminApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    api = TestBed.inject(AdminApi);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('reads user statistics from /api/admin/stats', () => {
    let stats: UserStats | undefined;

    api.stats().subscribe((body) => (stats = body));
    http
      .expectOne({ method: 'GET', url: '/api/admin/stats' })
      .flush({ total: 3, byRole: { admin: 1, member: 2, viewer: 0 } });

    expect(stats?.total).toBe(3);
    expect(stats?.byRole['member']).toBe(2);
    expect(stats?.byRole['viewer']).toBe(0);
  });

  it('checks its own health endpoint', () => {
    api.healthz().subscribe();
    http.expectOne({ method: 'GET', url: '/api/admin/healthz' }).flush({ status: 'ok' });
  });
});
