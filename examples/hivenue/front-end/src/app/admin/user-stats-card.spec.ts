import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { UserStatsCard } from './user-stats-card';

describe('UserStatsCard', () => {
  let fixture: ComponentFixture<UserStatsCard>;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [UserStatsCard],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(UserStatsCard);
  });

  afterEach(() => http.verify());

  it('shows the total and a count per role in name order, roles without users included', async () => {
    http
      .expectOne('/api/admin/stats')
      .flush({ total: 7, byRole: { viewer: 4, admin: 3, member: 0 } });
    await fixture.whenStable();

    const page = fixture.nativeElement as HTMLElement;
    expect(page.querySelector('[data-testid="users-total"]')?.textContent).toBe('7');
    expect(page.querySelector('[data-testid="users-role-viewer"]')?.textContent).toBe('4');
    expect(page.querySelector('[data-testid="users-role-member"]')?.textContent).toBe('0');
    const roles = [...page.querySelectorAll('dt')].map((dt) => dt.textContent);
    expect(roles).toEqual(['admin', 'member', 'viewer']);
  });

  it('shows an error when admin cannot answer', async () => {
    http
      .expectOne('/api/admin/stats')
      .flush({ error: 'internal server error' }, { status: 500, statusText: 'Server Error' });
    await fixture.whenStable();

    const page = fixture.nativeElement as HTMLElement;
    expect(page.querySelector('[data-testid="users-error"]')).not.toBeNull();
    expect(page.querySelector('[data-testid="users-total"]')).toBeNull();
  });
});
