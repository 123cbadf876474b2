/**
 * What the service was built with, as far as the importer can know it: the peer profile of the
 * type file (MFC version, Unicode, Win64) and the macros given with `--define`. `#if`/`#ifdef` in
 * the sources are decided from these; anything else is unknown, and code under an unknown
 * condition becomes a todo rather than a guess.
 */
import { DEFAULT_PROFILE, type Profile } from '../archive/values/profile.js';

export interface BuildConfig {
  profile: Profile;
  /** `--define NAME` (value "1") or `--define NAME=VALUE`. */
  defines: ReadonlyMap<string, string>;
  /** `--undefine NAME`: known not to be defined. */
  undefines: ReadonlySet<string>;
}

export const DEFAULT_BUILD: BuildConfig = {
  profile: DEFAULT_PROFILE,
  defines: new Map(),
  undefines: new Set(),
};

/** `_MFC_VER` of a profile's MFC version: 14 → 0x0E00, 7.1 → 0x0710, 4.21 → 0x0421. */
export function mfcVer(mfc: number): number {
  const major = Math.floor(mfc);
  const minor = Math.round((mfc - major) * 100);
  return major * 0x100 + (minor < 10 ? minor * 0x10 : Math.floor(minor / 10) * 0x10 + (minor % 10));
}

/** Macros the compiler and MFC define that the profile decides: value text, or null for "not defined". */
export function predefined(build: BuildConfig): Map<string, string | null> {
  const { unicode, win64, mfc } = build.profile;
  return new Map<string, string | null>([
    ['_MFC_VER', `0x${mfcVer(mfc).toString(16).padStart(4, '0')}`],
    ['_UNICODE', unicode ? '1' : null],
    ['UNICODE', unicode ? '1' : null],
    ['_MBCS', unicode ? null : '1'],
    ['_WIN32', '1'],
    ['WIN32', '1'],
    ['_WIN64', win64 ? '1' : null],
    ['_M_X64', win64 ? '1' : null],
    ['_M_AMD64', win64 ? '1' : null],
    ['_M_IX86', win64 ? null : '600'],
    ['__cplusplus', '199711'],
  ]);
}

/** Parses `mfc=14,unicode=false,win64=false` (any subset, any order). */
export function parseProfile(text: string): Profile {
  let profile: Profile = DEFAULT_BUILD.profile;
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const [key, value] = part.split('=').map((s) => s.trim());
    if (key === 'mfc') {
      const n = Number(value);
      if (value === undefined || !/^\d+(\.\d+)?$/.test(value) || n < 4 || n >= 15) throw new Error(`mfc must be an MFC version from 4 to 14 (6, 7.1, 14…), got '${value ?? ''}'`);
      profile = { ...profile, mfc: n };
    } else if (key === 'unicode' || key === 'win64') {
      if (value !== 'true' && value !== 'false') throw new Error(`${key} must be true or false, got '${value ?? ''}'`);
      profile = { ...profile, [key]: value === 'true' };
    } else {
      throw new Error(`unknown profile key '${key}' (known: mfc, unicode, win64)`);
    }
  }
  return profile;
}
