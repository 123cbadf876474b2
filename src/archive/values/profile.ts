/**
 * What built the peer: the MFC version, a Unicode build, a 64-bit build. The bytes of several types
 * depend on it (format §1.2, §2.1, §3.1, §5.1, §5.3); every version-dependent choice reads a flag here.
 */
export interface Profile {
  /** `_MFC_VER` major as a number: 6, 7, 7.1, 8, 9 … 14. */
  readonly mfc: number;
  /** Unicode build: plain `CString` is `CStringW`. */
  readonly unicode: boolean;
  /** Win64 build: counts and string lengths have the 64-bit escape. */
  readonly win64: boolean;
}

export interface ProfileFlags extends Profile {
  /** `bool` has its own 1-byte inserter from MFC 7.0; before, it promotes to `int` (format §1.2). */
  readonly boolSize: 1 | 4;
  /** `LONGLONG`/`ULONGLONG` inserters exist from MFC 7.0. */
  readonly has64BitIntegers: boolean;
  /** `CTime` is written as the 12-byte `cTime64Mark` form from MFC 8.0 (format §5.1). */
  readonly ctime64: boolean;
  /** `COleVariant` knows VT_I1, VT_UI2, VT_UI4, VT_I8, VT_UI8 from MFC 9.0 (format §5.3). */
  readonly variantExtended: boolean;
  /** The QWORD escape of counts and string lengths: MFC 7.0+ Win64 builds only (format §2.1, §3.1). */
  readonly escape64: boolean;
}

export const DEFAULT_PROFILE: Profile = { mfc: 14, unicode: false, win64: false };

export const MFC_VERSIONS: readonly number[] = [4.21, 6, 7, 7.1, 8, 9, 10, 11, 12, 14];

export function profileFlags(profile: Partial<Profile> = {}): ProfileFlags {
  const p: Profile = { ...DEFAULT_PROFILE, ...profile };
  return {
    ...p,
    boolSize: p.mfc < 7 ? 4 : 1,
    has64BitIntegers: p.mfc >= 7,
    ctime64: p.mfc >= 8,
    variantExtended: p.mfc >= 9,
    escape64: p.win64 && p.mfc >= 7,
  };
}
