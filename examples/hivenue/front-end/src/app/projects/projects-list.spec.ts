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

  it('lists each project with its slug, description and creation date', async () => {
    http.expectOne('/api/platform/projects').flush([
      {
        id: '65a1b2c3d4e5f60718293a4c',
        name: 'Pollen counter',
        slug: 'pollen-counter',
        description: '',
        createdAt: '2024-04-15T08:30:00.000Z',
      },
      {
        id: '65a1b2c3d4e5f60718293a4b',
        name: 'Hive map',
        slug: 'hive-map',
        description: 'Where every colony lives',
        createdAt: '2024-03-01T10:00:00.000Z',
      },
    ]);
    await fixture.whenStable();

    const items = page().querySelectorAll('[data-testid="project-item"]');
    expect(items.length).toBe(2);
    expect(items[0].textContent).toContain('Pollen counter');
    expect(items[0].querySelector('[data-testid="project-slug"]')?.textContent).toBe(
      'pollen-counter',
    );
    expect(items[0].querySelector('.description'))
      .withContext('no empty description line')
      .toBeNull();
    expect(items[1].textContent).toContain('Hive map');
    expect(items[1].textContent).toContain('hive-map');
    expect(items[1].textContent).toContain('Where every colony lives');
    expect(items[1].textContent).toContain('Mar 1, 2024');
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
