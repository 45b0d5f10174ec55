import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { PlatformApi, Project } from './platform-api';

describe('PlatformApi', () => {
  let api: PlatformApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    api = TestBed.inject(PlatformApi);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('lists projects from /api/platform/projects', () => {
    const projects: Project[] = [
      {
        id: '65a1b2c3d4e5f60718293a4b',
        name: 'Hive map',
        slug: 'hive-map',
        description: 'Where every colony lives',
        createdAt: '2024-03-01T10:00:00.000Z',
      },
    ];
    let received: Project[] | undefined;

    api.projects().subscribe((body) => (received = body));
    const request = http.expectOne('/api/platform/projects');
    request.flush(projects);

    expect(request.request.method).toBe('GET');
    expect(received).toEqual(projects);
  });

  it('reads its release and colour from /api/platform/version', () => {
    let colour: string | undefined;

    api.version().subscribe((body) => (colour = body.colour));
    http
      .expectOne({ method: 'GET', url: '/api/platform/version' })
      .flush({ service: 'platform', release: 'r42', commit: 'abc1234', colour: 'green' });

    expect(colour).toBe('green');
  });
});
