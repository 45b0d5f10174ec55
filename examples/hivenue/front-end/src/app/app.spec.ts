import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { App } from './app';

describe('App', () => {
  it('puts every card and the footer on the one page', async () => {
    TestBed.configureTestingModule({
      imports: [App],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;

    const headings = [...page.querySelectorAll('h2')].map((h2) => h2.textContent);
    expect(headings).toEqual(['Projects', 'Invoices', 'Try the model', 'Services', 'Users']);
    expect(page.querySelector('footer')).not.toBeNull();

    // The cards load their own data; answering is their specs' business.
    TestBed.inject(HttpTestingController).match(() => true);
  });
});
