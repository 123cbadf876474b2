/**
 * The type files in `examples/` describe real, public formats written with CArchive, and the files
 * beside them were built for this project byte by byte from those formats' documented layouts
 * (the bytes are spelled out below, with the C++ that writes them). Each decodes, and re-encodes to
 * the very same bytes, whole or split at every byte.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LoadBuffer, LoadState, TypeRegistry, type MessageCodec } from '../../src/archive/index.js';
import { bytes, hex } from './golden/helpers.js';

const example = (path: string) => new URL(`../../examples/${path}`, import.meta.url);

function codecOf(file: string, type: string): MessageCodec {
  const reg = new TypeRegistry();
  reg.addText(readFileSync(example(file), 'utf8'), file);
  return reg.get(type);
}

/** A CString of a short ANSI text: its 1-byte length, then its bytes (format §2.1). */
const cs = (text: string) => `${text.length.toString(16).padStart(2, '0')} ${Buffer.from(text, 'latin1').toString('hex')}`;

/** Decodes `file`, checks its bytes, its JSON, the byte-exact re-encoding and every split. */
function expectFile(codec: MessageCodec, file: string, spaced: string, json: unknown): void {
  const data = readFileSync(example(file));
  expect(data.toString('hex'), `${file} holds the bytes laid out here`).toBe(hex(spaced));
  expect(codec.decode(data, undefined, 'canonical')).toStrictEqual(json);
  const lossless = codec.decode(data);
  expect(codec.encode(lossless).toString('hex'), 'lossless re-encoding').toBe(data.toString('hex'));
  expect(codec.encode(json).toString('hex'), 'canonical re-encoding').toBe(data.toString('hex'));
  for (let k = 0; k < data.length; k++) {
    const lb = new LoadBuffer();
    const state = new LoadState();
    lb.push(data.subarray(0, k));
    expect(lb.tryDecode(codec, state, 'canonical').done).toBe(false);
    lb.push(data.subarray(k));
    expect(lb.tryDecode(codec, state, 'canonical')).toStrictEqual({ done: true, value: json, length: data.length });
  }
}

describe('Scribble drawings (.SCB), the MFC tutorial sample', () => {
  const codec = codecOf('scribble/scribble.json', 'CScribbleDoc');

  it('a drawing of two strokes', () => {
    expectFile(codec, 'scribble/drawing.scb', [
      '20 03 00 00  84 03 00 00', // ar << m_sizeDoc: CSize(800, 900) (format §5.4)
      '02 00', // m_strokeList.Serialize(ar): CObList, WriteCount(2) (§3.2)
      'FF FF 02 00 07 00 43 53 74 72 6F 6B 65', // ar << pStroke: new class "CStroke", schema 2 (index 1), object index 2 (§4.3)
      '0A 00 00 00 0A 00 00 00 1E 00 00 00 14 00 00 00', // ar << m_rectBounding: CRect(10, 10, 30, 20)
      '02 00', // ar << (WORD)m_nPenWidth
      '03 00  0A 00 00 00 0A 00 00 00  14 00 00 00 0F 00 00 00  1E 00 00 00 14 00 00 00', // CArray<CPoint>: WriteCount(3), raw POINTs (§3.3)
      '01 80', // the second stroke: class tag 0x8000 | 1 (object index 3)
      '05 00 00 00 28 00 00 00 05 00 00 00 28 00 00 00  05 00  01 00  05 00 00 00 28 00 00 00',
    ].join(' '), {
      sizeDoc: { cx: 800, cy: 900 },
      strokes: [
        { $class: 'CStroke', $id: 2, rectBounding: { left: 10, top: 10, right: 30, bottom: 20 }, penWidth: 2, points: [{ x: 10, y: 10 }, { x: 20, y: 15 }, { x: 30, y: 20 }] },
        { $class: 'CStroke', $id: 3, rectBounding: { left: 5, top: 40, right: 5, bottom: 40 }, penWidth: 5, points: [{ x: 5, y: 40 }] },
      ],
    });
  });

  it('a schema-1 stroke is refused, as Scribble refuses it (badSchema)', () => {
    const old = bytes('20 03 00 00 84 03 00 00  01 00  FF FF 01 00 07 00 43 53 74 72 6F 6B 65  02 00  00 00');
    expect(() => codec.decode(old)).toThrow(/schema 1 in the archive but 2 here/);
  });
});

describe('Power Tab 1.7 (.ptb): the file header (song or lesson)', () => {
  const codec = codecOf('powertab/powertab-header.json', 'PowerTabFileHeader');
  const head = '70 74 61 62  04 00'; // the "ptab" marker (DWORD 0x62617470), file version 4 = 1.7

  it('a song: an audio release, a traditional tune (no composer or lyricist written)', () => {
    expectFile(codec, 'powertab/song-header.ptb', [
      head, '00', // fileType: song
      '01', cs('Greensleeves'), cs('Traditional'), // contentType guitar, title, artist
      '00  02', cs('Folk Tunes'), 'CF 07  00', // releaseType public audio: album, title, year 1999, not live
      '01', // authorType traditional: composer and lyricist are not written
      '00', cs('A. Player'), '00 00 00 00 00', // arranger, guitar score transcriber, bass transcriber, copyright, lyrics, notes, notes
    ].join(' '), {
      marker: 0x62617470,
      version: 4,
      fileType: 0,
      content: {
        contentType: 1, title: 'Greensleeves', artist: 'Traditional', releaseType: 0,
        release: { type: 2, title: 'Folk Tunes', year: 1999, live: 0 },
        authorType: 1, arranger: '', guitarScoreTranscriber: 'A. Player', bassScoreTranscriber: '', copyright: '', lyrics: '', guitarScoreNotes: '', bassScoreNotes: '',
      },
    });
  });

  it('a lesson', () => {
    expectFile(codec, 'powertab/lesson-header.ptb', [
      head, '01', cs('Twelve-bar blues'), cs('Shuffle in E'), '02 00  01', cs('B. Teacher'), '00', cs('(c) 2000'),
    ].join(' '), {
      marker: 0x62617470,
      version: 4,
      fileType: 1,
      content: { title: 'Twelve-bar blues', subtitle: 'Shuffle in E', musicStyle: 2, level: 1, author: 'B. Teacher', notes: '', copyright: '(c) 2000' },
    });
  });

  it('the header is the start of a whole document: decoded at the start of a longer input', () => {
    const data = Buffer.concat([readFileSync(example('powertab/lesson-header.ptb')), bytes('01 00 FF FF 01 00')]);
    const { value, end } = codec.decodeFrom(data, 0, undefined, 'canonical');
    expect((value as { fileType: number }).fileType).toBe(1);
    expect(data.length - end).toBe(6);
  });

  it('not a Power Tab 1.7 file: the marker or the version says so at once', () => {
    expect(() => codec.decode(bytes('50 4B 03 04 14 00 00'))).toThrow(/constant field holds 67324752/);
    expect(() => codec.decode(bytes('70 74 61 62 03 00 00'))).toThrow(/constant field holds 3, not 4/);
  });
});
