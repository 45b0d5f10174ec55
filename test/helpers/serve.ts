/** `waggle serve` as a real child process, and the URL it reports once listening. */
import { type ChildProcess, spawn } from 'node:child_process';
import { WAGGLE_BIN } from './cli.js';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

export function startServe(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [WAGGLE_BIN, 'serve', '--port', '0', ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`waggle serve did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /waggle server listening at (http:\/\/[0-9.:]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] as string, output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`waggle serve exited with ${code}:\n${output}`)));
  });
}
