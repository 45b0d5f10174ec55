import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { AdminApi } from '../api/admin-api';
import { AiModelApi } from '../api/ai-model-api';
import { BackendApi, BackendService } from '../api/backend-api';
import { BillingApi } from '../api/billing-api';
import { PlatformApi } from '../api/platform-api';

export type ServiceState = 'checking' | 'ok' | 'down';

/** One row per back-end service, from its `GET /api/<service>/healthz`. */
@Component({
  selector: 'app-service-status-panel',
  templateUrl: './service-status-panel.html',
  styleUrl: './service-status-panel.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ServiceStatusPanel {
  private readonly destroyRef = inject(DestroyRef);
  private readonly apis: BackendApi[] = [
    inject(AiModelApi),
    inject(PlatformApi),
    inject(BillingApi),
    inject(AdminApi),
  ];

  protected readonly states = signal(
    new Map<BackendService, ServiceState>(this.apis.map((api) => [api.service, 'checking'])),
  );
  protected readonly rows = computed(() =>
    [...this.states()].map(([service, state]) => ({ service, state })),
  );
  protected readonly allUp = computed(() => this.rows().every((row) => row.state === 'ok'));

  constructor() {
    this.check();
  }

  protected check(): void {
    for (const api of this.apis) {
      this.mark(api.service, 'checking');
      api
        .healthz()
        .pipe(takeUntilDestroyed(this.destroyRef))
        .subscribe({
          // A service that answers but does not say "ok" is as unusable as one that errors.
          next: (health) => this.mark(api.service, health.status === 'ok' ? 'ok' : 'down'),
          error: () => this.mark(api.service, 'down'),
        });
    }
  }

  private mark(service: BackendService, state: ServiceState): void {
    this.states.update((states) => new Map(states).set(service, state));
  }
}
