/**
 * A deploy command run without blocking this process (the load generator shares its event loop),
 * its output kept in a log file and shown only when it fails or BENCH_VERBOSE is set.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';

export interface CommandResult {
  seconds: number;
  stdout: string;
}

export function command(
  argv: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; log: string },
): Promise<CommandResult> {
  const started = performance.now();
  appendFileSync(options.log, `\n$ ${argv.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    // Each chunk of output in the log starts with the seconds since the command started.
    const keep = (chunk: Buffer) => {
      const text = `[${((performance.now() - started) / 1000).toFixed(1)}s] ${chunk}`;
      appendFileSync(options.log, text);
      if (process.env.BENCH_VERBOSE) process.stderr.write(text);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      keep(chunk);
    });
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) return resolve({ seconds, stdout });
      const tail = readFileSync(options.log, 'utf8').split('\n').slice(-40).join('\n');
      reject(new Error(`${argv.join(' ')} exited with ${code ?? signal}:\n${tail}`));
    });
  });
}
