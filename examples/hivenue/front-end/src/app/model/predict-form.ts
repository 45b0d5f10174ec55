import { PercentPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  signal,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Subscription } from 'rxjs';
import { AiModelApi, Prediction } from '../api/ai-model-api';

/** "Try the model": sends a text to `POST /api/ai-model/predict` and shows the label and score. */
@Component({
  selector: 'app-predict-form',
  imports: [FormsModule, PercentPipe],
  templateUrl: './predict-form.html',
  styleUrl: './predict-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PredictForm {
  private readonly model = inject(AiModelApi);
  private pending?: Subscription;

  protected readonly text = signal('');
  protected readonly busy = signal(false);
  protected readonly prediction = signal<Prediction | null>(null);
  protected readonly failed = signal(false);
  protected readonly canSubmit = computed(() => this.text().trim() !== '' && !this.busy());

  constructor() {
    inject(DestroyRef).onDestroy(() => this.pending?.unsubscribe());
  }

  protected submit(): void {
    if (!this.canSubmit()) {
      return;
    }
    this.busy.set(true);
    this.failed.set(false);
    this.prediction.set(null);
    this.pending = this.model.predict(this.text().trim()).subscribe({
      next: (prediction) => {
        this.prediction.set(prediction);
        this.busy.set(false);
      },
      error: () => {
        this.failed.set(true);
        this.busy.set(false);
      },
    });
  }
}
