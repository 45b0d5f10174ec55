/** The wall clock, for tests of rows stamped with Date.now(). */
import { vi } from 'vitest';

/**
 * Settles once Date.now() has moved past the millisecond it is in now: whatever is stamped
 * next sorts as newer than whatever was stamped before the call.
 */
export async function nextMillisecond(): Promise<void> {
  const now = Date.now();
  await vi.waitFor(
    () => {
      if (Date.now() <= now) throw new Error(`the clock is still at ${now}`);
    },
    { timeout: 1_000, interval: 1 },
  );
}
