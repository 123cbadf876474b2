/** The demo archive service in another process (built code), as a legacy service would run. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface DemoProcess {
  port: number;
  udpPort: number;
  child: ChildProcess;
  stop(): Promise<number | null>;
}

export async function startDemoProcess(mode: 'order' | 'echo' = 'order'): Promise<DemoProcess> {
  const code = `
    import { startDemoService } from ${JSON.stringify(path.join(root, 'dist/src/demo/index.js'))};
    const s = await startDemoService({ port: 0, mode: ${JSON.stringify(mode)} });
    process.stdout.write(JSON.stringify({ port: s.port, udpPort: s.udpPort }) + '\\n');
    process.on('SIGTERM', () => s.close().then(() => process.exit(0)));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ports = await new Promise<{ port: number; udpPort: number }>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const nl = text.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(text.slice(0, nl)));
    });
    child.once('exit', (c) => reject(new Error(`demo service exited with ${c}`)));
  });
  return {
    ...ports,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (c) => resolve(c));
        child.kill('SIGTERM');
      }),
  };
}
