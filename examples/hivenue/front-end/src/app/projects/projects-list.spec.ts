import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ProjectsList } from './projects-list';

describe('ProjectsList', () => {
  let fixture: ComponentFixture<ProjectsList>;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [ProjectsList],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ProjectsList);
  });

  afterEach(() => http.verify());

  const page = () => fixture.nativeElement as HTMLElement;

  it('lists each project with its owner and creation date', async () => {
    http.expectOne('/api/platform/projects').flush([
      { _id: 'p1', name: 'Hive map', owner: 'ana', createdAt: '2024-03-01T10:00:00Z' },
      { _id: 'p2', name: 'Pollen counter', owner: 'ben', createdAt: '2024-04-15T08:30:00Z' },
    ]);
    await fixture.whenStable();

    const items = page().querySelectorAll('[data-testid="project-item"]');
    expect(items.length).toBe(2);
    expect(items[0].textContent).toContain('Hive map');
    expect(items[0].textContent).toContain('ana');
    expect(items[0].textContent).toContain('Mar 1, 2024');
    expect(items[1].textContent).toContain('Pollen counter');
  });

  it('says so when there are no projects', async () => {
    http.expectOne('/api/platform/projects').flush([]);
    await fixture.whenStable();

    expect(page().querySelector('[data-testid="projects-empty"]')).not.toBeNull();
    expect(page().querySelector('[data-testid="projects-list"]')).toBeNull();
  });

  it('shows an error when the platform cannot answer', async () => {
    http
      .expectOne('/api/platform/projects')
      .flush('upstream down', { status: 502, statusText: 'Bad Gateway' });
    await fixture.whenStable();

    expect(page().querySelector('[data-testid="projects-error"]')).not.toBeNull();
  });
});
