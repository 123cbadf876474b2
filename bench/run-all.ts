/**
 * `npm run bench`: runs every `bench:*` script of package.json, one after the other (never in
 * parallel: benches share the machine's two cores), passing along any arguments
 * (`npm run bench -- --seconds 1`). Exits with the first failing bench's code, after the rest ran.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './lib/report.js';

function benchScripts(root: string): string[] {
  const json: unknown = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  if (typeof json !== 'object' || json === null || !('scripts' in json)) return [];
  const scripts = json.scripts;
  if (typeof scripts !== 'object' || scripts === null) return [];
  return Object.keys(scripts).filter((name) => name.startsWith('bench:'));
}

function main(): void {
  const root = repoRoot();
  const names = benchScripts(root);
  if (names.length === 0) {
    console.error('no bench:* scripts in package.json');
    process.exit(1);
  }
  const extra = process.argv.slice(2);
  const npmCli = process.env.npm_execpath;
  let failed = 0;
  for (const name of names) {
    console.log(`\n=== npm run ${name}${extra.length > 0 ? ` -- ${extra.join(' ')}` : ''}`);
    const args = ['run', '--silent', name, ...(extra.length > 0 ? ['--', ...extra] : [])];
    const res =
      npmCli !== undefined && npmCli.endsWith('.js')
        ? spawnSync(process.execPath, [npmCli, ...args], { cwd: root, stdio: 'inherit' })
        : spawnSync('npm', args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    const code = res.status ?? 1;
    if (code !== 0) {
      console.error(`${name} failed (${res.error?.message ?? (res.signal !== null ? `signal ${res.signal}` : `exit ${code}`)})`);
      if (failed === 0) failed = code;
    }
  }
  process.exit(failed);
}

main();
