/**
 * `archway import-cpp` as a user runs it (the built bin/archway.js, so `npx tsc -p tsconfig.json`
 * first): the type file on stdout, the summary and the todos on stderr, --strict, usage errors,
 * and the drafted file used as is by `archway encode`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { expectFailure, runCli, tempDir } from '../cli/helpers.js';
import { fixture, hex } from './helpers.js';

const scratch = tempDir();
afterAll(() => scratch.remove());

describe('archway import-cpp', () => {
  it('writes the type file on stdout (2-space JSON) and a one-line summary on stderr', async () => {
    const r = await runCli(['import-cpp', fixture('scribble')]);
    expect(r.code, r.stderr).toBe(0);
    const text = r.stdout.toString('utf8');
    expect(text).toMatch(/^\{\n {2}"profile": \{\n {4}"mfc": 14,/);
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text).types)).toEqual(['CSketchDoc', 'CPenStroke']);
    expect(r.stderr).toBe('archway import-cpp: 2 files, 2 Serialize functions, 2 types, 4 fields translated, 0 todos\n');
  });

  it('the drafted file works in archway encode as is', async () => {
    const draft = await runCli(['import-cpp', fixture('chat')]);
    const types = scratch.file('chat.json', draft.stdout);
    const r = await runCli(['encode', '--types', types, '--type', 'CChatMsg', '--hex'], JSON.stringify({ bClose: 0, strText: 'Hello', msgList: [] }));
    expect(r.code, r.stderr).toBe(0);
    // format §9.3: WORD FALSE, "Hello", an empty CStringList
    expect(r.stdout.toString().trim()).toBe(hex('00 00 05 48 65 6C 6C 6F 00 00').toString('hex'));
  });

  it('--profile and --class: one class of a folder, for a Unicode MFC 6 build', async () => {
    const r = await runCli(['import-cpp', '--profile', 'mfc=6,unicode=true', '--class', 'COrderRecord', fixture('awkward')]);
    expect(r.code, r.stderr).toBe(0);
    const file = JSON.parse(r.stdout.toString());
    expect(file.profile).toEqual({ mfc: 6, unicode: true, win64: false });
    expect(Object.keys(file.types)).toEqual(['COrderRecord']);
  });

  it('lists every todo on stderr with its C++ line and file:line; exit 0 without --strict', async () => {
    const r = await runCli(['import-cpp', fixture('todo')]);
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('archway import-cpp: 2 files, 2 Serialize functions, 2 types, 3 fields translated, 3 todos');
    expect(lines[1]).toMatch(/^ {2}todo CSettings\.nTimeout: storing writes WORD but loading reads UINT at .*legacy\.cpp:16 — ar << m_strHost << m_wPort << \(WORD\)m_nTimeout; \(.*legacy\.cpp:10\)$/);
    expect(lines).toHaveLength(4);
    expect(JSON.parse(r.stdout.toString()).types.CSettings.fields[2].todo).toContain('legacy.cpp:16');
  });

  it('--strict: exit 1 and nothing on stdout while a todo remains; exit 0 when none does', async () => {
    const failing = await runCli(['import-cpp', '--strict', fixture('todo')]);
    expect(failing.code).toBe(1);
    expect(failing.stdout.length).toBe(0);
    expect(failing.stderr).toContain('--strict: 3 todos remain; nothing written');
    const passing = await runCli(['import-cpp', '--strict', fixture('chat')]);
    expect(passing.code, passing.stderr).toBe(0);
  });

  it('--define decides an #ifdef', async () => {
    const dir = scratch.file('dbg.cpp', 'class C { int m_n; WORD m_w; void Serialize(CArchive& ar); };\nvoid C::Serialize(CArchive& ar) {\n#ifdef TRACE_IDS\n if (ar.IsStoring()) ar << m_n; else ar >> m_n;\n#endif\n if (ar.IsStoring()) ar << m_w; else ar >> m_w;\n}\n');
    const undecided = await runCli(['import-cpp', '--strict', dir]);
    expect(undecided.code).toBe(1);
    expect(undecided.stderr).toContain('depends on #ifdef TRACE_IDS');
    const defined = await runCli(['import-cpp', '--strict', '-D', 'TRACE_IDS', dir]);
    expect(defined.code, defined.stderr).toBe(0);
    expect(JSON.parse(defined.stdout.toString()).types.C.fields).toEqual([{ name: 'n', type: 'int' }, { name: 'w', type: 'WORD' }]);
    const undefined_ = await runCli(['import-cpp', '--strict', '--undefine', 'TRACE_IDS', dir]);
    expect(JSON.parse(undefined_.stdout.toString()).types.C.fields).toEqual([{ name: 'w', type: 'WORD' }]);
  });

  it.each([
    [[], 'name at least one C++ file or folder'],
    [['--profile', 'mfc=3', 'x'], '--profile: mfc must be an MFC version'],
    [['--profile', 'color=red', 'x'], "unknown profile key 'color'"],
    [['--define', '1X', 'x'], "--define expects NAME or NAME=VALUE, got '1X'"],
    [['--nope', 'x'], "Unknown option '--nope'"],
  ])('usage error %j: exit 2, one line', async (args, fragment) => {
    expectFailure(await runCli(['import-cpp', ...args]), 2, fragment, 'usage: archway import-cpp');
  });

  it('a missing file or an unknown --class: exit 1, one line', async () => {
    expectFailure(await runCli(['import-cpp', 'no/such/dir']), 1, 'archway import-cpp:', 'no/such/dir');
    expectFailure(await runCli(['import-cpp', '--class', 'CNope', fixture('chat')]), 1, 'no Serialize or IMPLEMENT_SERIAL for --class CNope');
  });

  it('--help describes the options; archway --help lists the command', async () => {
    const r = await runCli(['import-cpp', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--profile', '--class', '--define', '--undefine', '--strict']) expect(r.stdout.toString()).toContain(flag);
    const all = await runCli(['--help']);
    expect(all.stdout.toString()).toMatch(/import-cpp\s+draft a message-type file from C\+\+ Serialize functions/);
  });
});
