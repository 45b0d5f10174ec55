import { BadInputError } from '../errors.js';

/** Bad invocation: the CLI prints the message and exits 2. */
export class UsageError extends BadInputError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
