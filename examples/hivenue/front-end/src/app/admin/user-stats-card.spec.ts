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

  it('shows the total and a count per role in name order', async () => {
    http
      .expectOne('/api/admin/stats')
      .flush({ users: 7, byRole: { viewer: 4, admin: 1, editor: 2 } });
    await fixture.whenStable();

    const page = fixture.nativeElement as HTMLElement;
    expect(page.querySelector('[data-testid="users-total"]')?.textContent).toBe('7');
    expect(page.querySelector('[data-testid="users-role-editor"]')?.textContent).toBe('2');
    const roles = [...page.querySelectorAll('dt')].map((dt) => dt.textContent);
    expect(roles).toEqual(['admin', 'editor', 'viewer']);
  });
});
