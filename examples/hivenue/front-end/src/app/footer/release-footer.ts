import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ServiceVersion } from '../api/backend-api';
import { PlatformApi } from '../api/platform-api';

/**
 * Which release is live and on which colour (blue/green), from `GET /api/platform/version`,
 * so anyone looking at the page can tell which deployment served it.
 */
@Component({
  selector: 'app-release-footer',
  templateUrl: './release-footer.html',
  styleUrl: './release-footer.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReleaseFooter {
  protected readonly version = signal<ServiceVersion | null>(null);
  protected readonly failed = signal(false);

  constructor() {
    inject(PlatformApi)
      .version()
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: (version) => this.version.set(version),
        error: () => this.failed.set(true),
      });
  }
}
