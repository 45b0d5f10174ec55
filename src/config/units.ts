/** Durations ("500ms", "30s", "5m", "1h") and percentages ("1%") as written in waggle.yml. */

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const DURATION_PATTERN = DURATION.source;
export const PERCENT_PATTERN = /^\d+(?:\.\d+)?%$/.source;

export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}

/** "1%" -> 0.01 */
export function parsePercent(text: string): number {
  if (!new RegExp(PERCENT_PATTERN).test(text)) throw new Error(`not a percentage: ${text}`);
  return Number(text.slice(0, -1)) / 100;
}
