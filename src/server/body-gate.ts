/**
 * Turns for reading large request bodies: at most a few are read (and held in memory) at once, the
 * rest wait in order, so a burst of 25 MB webhook bodies costs a few bodies' memory, not twenty.
 */
import type { preParsingAsyncHookHandler } from 'fastify';

export class Turns {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  /** Resolves when it is the caller's turn, with the function that ends it (calling it twice is harmless). */
  async take(): Promise<() => void> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const next = this.waiting.shift();
      if (next)
        next(); // the turn passes straight on
      else this.active--;
    };
  }

  get holding(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }
}

/**
 * A preParsing hook: a body above `threshold` bytes (or of unknown length) waits for a turn before
 * it is read, and gives the turn back when its response is done or its connection is gone.
 */
export function largeBodiesInTurn(turns: Turns, threshold: number): preParsingAsyncHookHandler {
  return async (request, reply, payload) => {
    const length = Number(request.headers['content-length']);
    if (Number.isFinite(length) && length <= threshold) return payload;
    let end: (() => void) | undefined;
    let closed = false;
    reply.raw.once('close', () => {
      closed = true;
      end?.();
    });
    end = await turns.take();
    if (closed) end();
    return payload;
  };
}
