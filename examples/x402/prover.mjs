// Starts `zkpolicy serve` on loopback and waits for its startup line.
import { spawn } from 'node:child_process';

/**
 * @param {{bin: string, keys: string, port?: number, timeoutMs?: number}} options
 * @returns {Promise<{url: string, close(): Promise<void>}>}
 */
export function startProver({ bin, keys, port = 0, timeoutMs = 60000 }) {
  const child = spawn(bin, ['serve', '--keys', keys, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      close();
      reject(new Error(`zkpolicy serve did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], close });
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`zkpolicy serve exited (${code}) before listening: ${stderr}`));
    });
  });
}
