import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { AdminApi, UserStats } from '../api/admin-api';

/** How many users there are, in total and per role, from `GET /api/admin/stats`. */
@Component({
  selector: 'app-user-stats-card',
  templateUrl: './user-stats-card.html',
  styleUrl: './user-stats-card.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UserStatsCard {
  protected readonly stats = signal<UserStats | null>(null);
  protected readonly failed = signal(false);
  /** Roles sorted by name so the list does not reorder between reloads. */
  protected readonly roles = computed(() =>
    Object.entries(this.stats()?.byRole ?? {})
      .map(([role, count]) => ({ role, count }))
      .sort((a, b) => a.role.localeCompare(b.role)),
  );

  constructor() {
    inject(AdminApi)
      .stats()
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: (stats) => this.stats.set(stats),
        error: () => this.failed.set(true),
      });
  }
}
