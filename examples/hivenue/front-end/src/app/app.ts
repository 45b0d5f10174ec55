import { ChangeDetectionStrategy, Component } from '@angular/core';
import { UserStatsCard } from './admin/user-stats-card';
import { InvoicesTable } from './billing/invoices-table';
import { ReleaseFooter } from './footer/release-footer';
import { PredictForm } from './model/predict-form';
import { ProjectsList } from './projects/projects-list';
import { ServiceStatusPanel } from './status/service-status-panel';

/** The single page: one card per back-end feature, and the live release underneath. */
@Component({
  selector: 'app-root',
  imports: [
    ProjectsList,
    InvoicesTable,
    PredictForm,
    ServiceStatusPanel,
    UserStatsCard,
    ReleaseFooter,
  ],
  templateUrl: './app.html',
  styleUrl: './app.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {}
