import { DecimalPipe } from '@angular/common';
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
import { AiModelApi, MAX_PREDICT_TEXT_LENGTH, Prediction } from '../api/ai-model-api';
import { clientErrorMessage } from '../api/backend-api';

/**
 * "Try the model": sends a text to `POST /api/ai-model/predict` and shows the sentiment label, its
 * score (-1 to 1) and the model that gave them.
 */
@Component({
  selector: 'app-predict-form',
  imports: [FormsModule, DecimalPipe],
  templateUrl: './predict-form.html',
  styleUrl: './predict-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PredictForm {
  private readonly model = inject(AiModelApi);
  private pending?: Subscription;

  protected readonly maxLength = MAX_PREDICT_TEXT_LENGTH;
  protected readonly text = signal('');
  protected readonly busy = signal(false);
  protected readonly prediction = signal<Prediction | null>(null);
  /** What went wrong with the last request: the model's own message for a rejected text. */
  protected readonly error = signal<string | null>(null);
  protected readonly canSubmit = computed(() => this.text().trim() !== '' && !this.busy());

  constructor() {
    inject(DestroyRef).onDestroy(() => this.pending?.unsubscribe());
  }

  protected submit(): void {
    if (!this.canSubmit()) {
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    this.prediction.set(null);
    this.pending = this.model.predict(this.text().trim()).subscribe({
      next: (prediction) => {
        this.prediction.set(prediction);
        this.busy.set(false);
      },
      error: (failure: unknown) => {
        this.error.set(clientErrorMessage(failure) ?? 'The model could not answer. Try again.');
        this.busy.set(false);
      },
    });
  }
}
