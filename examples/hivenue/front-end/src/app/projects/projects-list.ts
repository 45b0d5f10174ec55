import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { PlatformApi, Project } from '../api/platform-api';

/** The platform's projects, newest first, from `GET /api/platform/projects`. */
@Component({
  selector: 'app-projects-list',
  imports: [DatePipe],
  templateUrl: './projects-list.html',
  styleUrl: './projects-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProjectsList {
  private readonly platform = inject(PlatformApi);

  /** `null` until the first answer arrives. */
  protected readonly projects = signal<Project[] | null>(null);
  protected readonly failed = signal(false);

  constructor() {
    this.platform
      .projects()
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: (projects) => this.projects.set(projects),
        error: () => this.failed.set(true),
      });
  }
}
