import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ReleaseFooter } from './release-footer';

describe('ReleaseFooter', () => {
  let fixture: ComponentFixture<ReleaseFooter>;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [ReleaseFooter],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ReleaseFooter);
  });

  afterEach(() => http.verify());

  const page = () => fixture.nativeElement as HTMLElement;
  const text = (testId: string) =>
    page().querySelector(`[data-testid="${testId}"]`)?.textContent?.trim();

  it("shows the platform's release, short commit and colour", async () => {
    http.expectOne('/api/platform/version').flush({
      service: 'platform',
      release: '2024.06.1',
      commit: '0123456789abcdef',
      colour: 'blue',
    });
    await fixture.whenStable();

    expect(text('release')).toBe('2024.06.1');
    expect(text('commit')).toBe('0123456');
    expect(text('colour')).toBe('blue');
  });

  it('says the release is unknown when the platform cannot answer', async () => {
    http.expectOne('/api/platform/version').flush('', { status: 504, statusText: 'Timeout' });
    await fixture.whenStable();

    expect(text('release-unknown')).toBe('Release unknown');
    expect(page().querySelector('[data-testid="release"]')).toBeNull();
  });
});
