/**
 * `archway import-cpp`: drafts a message-type file from a service's own C++ — its
 * `Serialize(CArchive&)` functions and the class declarations they use. The type file goes to
 * stdout, a summary (and every todo) to stderr. The C++ parser is loaded only by this command.
 */
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { usage } from '../options.js';
import { reportFailure, writeStdout } from '../stdio.js';

const SYNOPSIS = 'archway import-cpp [--profile mfc=14,unicode=false,win64=false] [--class NAME]… [--define NAME[=VALUE]]… [--undefine NAME]… [--strict] FILE_OR_DIR…';

const OPTIONS = {
  profile: { type: 'string' },
  class: { type: 'string', multiple: true },
  define: { type: 'string', multiple: true, short: 'D' },
  undefine: { type: 'string', multiple: true, short: 'U' },
  strict: { type: 'boolean' },
} as const;

export const command: Command = {
  summary: 'draft a message-type file from C++ Serialize functions',
  usage: [
    `usage: ${SYNOPSIS}`,
    '',
    'Reads C++ sources and headers (folders are searched for .h .hpp .inl .cpp .cxx .cc …), finds every',
    'Serialize(CArchive&) definition and the declarations it uses, and writes a message-type file (JSON)',
    'on stdout: one type per class, fields in the order Serialize writes them. What it cannot translate',
    'is still there, with a "todo" note quoting the C++ and its file:line; stderr lists every todo.',
    '',
    '  --profile P        the peer\'s build: mfc=VERSION,unicode=BOOL,win64=BOOL (default mfc=14,unicode=false,win64=false);',
    '                     also decides #ifdef _UNICODE / _WIN64 / #if _MFC_VER in the sources',
    '  --class NAME       draft only this class and the types it uses (repeatable)',
    '  -D, --define N[=V] a macro the real build defines, for #if/#ifdef (repeatable)',
    '  -U, --undefine N   a macro the real build does not define (repeatable)',
    '  --strict           exit 1, writing nothing on stdout, when any todo remains',
    '',
    'Exit status: 0 written; 1 a file cannot be read, a --class is unknown, or --strict with todos; 2 bad usage.',
  ].join('\n'),

  async run(args: string[]): Promise<number> {
    let values: { profile?: string; class?: string[]; define?: string[]; undefine?: string[]; strict?: boolean };
    let inputs: string[];
    try {
      const parsed = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true });
      values = parsed.values;
      inputs = parsed.positionals;
    } catch (err) {
      throw usage(err instanceof Error ? (err.message.split(/\.\s/)[0] ?? err.message) : String(err), SYNOPSIS);
    }
    if (inputs.length === 0) throw usage('name at least one C++ file or folder', SYNOPSIS);
    const { parseProfile } = await import('../../import-cpp/build-config.js');
    let profile;
    try {
      profile = parseProfile(values.profile ?? '');
    } catch (err) {
      throw usage(`--profile: ${(err as Error).message}`, SYNOPSIS);
    }
    const defines = new Map<string, string>();
    for (const d of values.define ?? []) {
      const m = /^([A-Za-z_]\w*)(?:=(.*))?$/.exec(d);
      if (m === null) throw usage(`--define expects NAME or NAME=VALUE, got '${d}'`, SYNOPSIS);
      defines.set(m[1]!, m[2] ?? '1');
    }
    for (const u of values.undefine ?? []) if (!/^[A-Za-z_]\w*$/.test(u)) throw usage(`--undefine expects a macro name, got '${u}'`, SYNOPSIS);
    try {
      // Loaded here, not at the top: the parser's wasm is for this command only.
      const { listSourceFiles, withSources } = await import('../../import-cpp/source-set.js');
      const { importCpp } = await import('../../import-cpp/import-cpp.js');
      const { summaryLines } = await import('../../import-cpp/import-summary.js');
      const files = await listSourceFiles(inputs);
      if (files.length === 0) return reportFailure('import-cpp', new Error(`no C++ files under ${inputs.join(', ')}`));
      const build = { profile, defines, undefines: new Set(values.undefine ?? []) };
      const result = await withSources(files, (sources) => importCpp(sources, { build, classes: values.class ?? [] }));
      if (result.report.unknownClasses.length > 0) {
        return reportFailure('import-cpp', new Error(`no Serialize or IMPLEMENT_SERIAL for --class ${result.report.unknownClasses.join(', ')} in the sources`));
      }
      process.stderr.write(summaryLines(result.report).map((l) => `${l}\n`).join(''));
      if (values.strict === true && result.report.todos.length > 0) {
        process.stderr.write(`archway import-cpp: --strict: ${result.report.todos.length} todo${result.report.todos.length === 1 ? '' : 's'} remain; nothing written\n`);
        return 1;
      }
      await writeStdout(`${JSON.stringify(result.file, null, 2)}\n`);
      return 0;
    } catch (err) {
      return reportFailure('import-cpp', err);
    }
  },
};
