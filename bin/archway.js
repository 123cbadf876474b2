#!/usr/bin/env node
// The `archway` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('archway: not built yet; run `npm run build` in the archway folder\n');
  process.exit(1);
}
const { main } = await import(entry.href);
// With its own path: `archway serve` may start itself again with startup Node options (src/cli/fresh-process.ts).
process.exitCode = await main(process.argv.slice(2), { entry: fileURLToPath(import.meta.url) });
