/**
 * The seed's table ("Windows Sockets: sequence of operations", seeds/*.es.md) as one test, row by
 * row, through the library on real loopback sockets — then the seed's additional notes: datagrams
 * (SendTo/ReceiveFrom, or Connect then Send/Receive), no CArchive over datagrams, no Seek on a
 * CSocketFile, and the objects' destruction (Close) seen by the peer with the store data flushed.
 */
import { describe, expect, it } from 'vitest';
import { Archive, SocketFile, VALUE_TYPE_NAMES, type ReadValues, type WriteValues } from '../../src/archive-io/index.js';
import { DatagramSocket, StreamSocket, type CloseInfo } from '../../src/sockets/index.js';
import { demoRegistry } from '../../src/demo/index.js';
import { referenceOrder } from '../../src/demo/index.js';
import { LOOPBACK, freePort } from '../support/ports.js';
import { thrown } from './helpers.js';

/** Every type with a typed accessor (archive-values.ts): [type, value written, value read back]. */
const PRIMITIVES: [keyof WriteValues & keyof ReadValues, unknown, unknown][] = [
  ['BYTE', 250, 250],
  ['char', 0xe9, 0xe9], // 'é' in code page 1252: chars travel as their code values
  ['bool', true, true],
  ['BOOL', false, false],
  ['WORD', 65000, 65000],
  ['short', -1234, -1234],
  ['wchar_t', 0x20ac, 0x20ac], // '€'
  ['DWORD', 4_000_000_000, 4_000_000_000],
  ['UINT', 123_456, 123_456],
  ['LONG', -2_000_000_000, -2_000_000_000],
  ['int', -7, -7],
  ['LONGLONG', -9007199254740993n, '-9007199254740993'], // past 2^53: exact only as bigint / string
  ['ULONGLONG', '18446744073709551615', '18446744073709551615'],
  ['float', 1.5, 1.5],
  ['double', Math.PI, Math.PI],
  ['CString', 'Grüße € ½ — ANSI', 'Grüße € ½ — ANSI'], // code page 1252 bytes
  ['CString', { text: 'Привет, 世界 😀', unicode: true }, { text: 'Привет, 世界 😀', unicode: true }], // FF FE FF + UTF-16
  ['CStringA', 'Ñandú', 'Ñandú'],
  ['CStringW', 'Grüße 日本 😀', 'Grüße 日本 😀'],
  ['CTime', '2019-10-03T14:47:55Z', '2019-10-03T14:47:55Z'],
  ['CTimeSpan', 3600, 3600],
  ['COleDateTime', '2019-10-03T14:47:55', '2019-10-03T14:47:55'],
  ['COleDateTimeSpan', 1.5, 1.5],
  ['COleCurrency', '12.3456', '12.3456'],
  ['COleVariant', { vt: 'VT_I4', value: 42 }, { vt: 'VT_I4', value: 42 }],
  ['CPoint', { x: 1, y: -2 }, { x: 1, y: -2 }],
  ['CSize', { cx: 3, cy: 4 }, { cx: 3, cy: 4 }],
  ['CRect', { left: 1, top: 2, right: 30, bottom: 40 }, { left: 1, top: 2, right: 30, bottom: 40 }],
  ['GUID', '12345678-9abc-def0-1234-56789abcdef0', '12345678-9abc-def0-1234-56789abcdef0'],
  ['CByteArray', new Uint8Array([0, 1, 2, 255]), 'AAEC/w=='],
  ['CWordArray', [1, 65535], [1, 65535]],
  ['CDWordArray', [1, 4294967295], [1, 4294967295]],
  ['CStringArray', ['a', 'ö', ''], ['a', 'ö', '']],
  ['CStringList', ['x', '€'], ['x', '€']],
  ['CMapStringToString', [['k', 'v'], ['ä', 'ß']], [['k', 'v'], ['ä', 'ß']]],
];

/** `arOut << v` for every type, one flush (one message), then `arIn >> v` checked for each. */
async function everyPrimitive(arOut: Archive, arIn: Archive): Promise<void> {
  for (const [type, value] of PRIMITIVES) arOut.write(type, value as never);
  await arOut.flush();
  for (const [type, , expected] of PRIMITIVES) {
    expect(await arIn.read(type), `read ${type}`).toEqual(expected);
  }
  expect(arIn.isBufferEmpty()).toBe(true);
}

const NOT_SUPPORTED = ['seek', 'seekToBegin', 'seekToEnd', 'getPosition', 'getLength', 'setLength', 'lockRange', 'unlockRange', 'duplicate'] as const;

describe('the seed: Windows Sockets sequence of operations', () => {
  it('runs every row of the table, then the notes below it', async () => {
    const types = demoRegistry();
    const orderCodec = types.get('Order');

    // The table covers every typed accessor there is: a new one must be added here too.
    expect(new Set(PRIMITIVES.map(([t]) => t))).toEqual(new Set(VALUE_TYPE_NAMES));

    // | CSocket sockSrvr; sockSrvr.Create(nPort); 1,2 | CSocket sockClient; sockClient.Create(); 2 |
    const nPort = await freePort();
    const sockSrvr = await StreamSocket.create({ port: nPort, address: LOOPBACK });
    expect(sockSrvr.state).toBe('created');
    const sockClient = await StreamSocket.create(); // default parameters: any port
    const sockClient2 = await StreamSocket.create();
    expect(sockClient.state).toBe('created');

    // | sockSrvr.Listen(); |  |
    let acceptEvents = 0;
    sockSrvr.on('accept', () => acceptEvents++);
    await sockSrvr.listen(5);
    expect(sockSrvr.state).toBe('listening');
    expect(sockSrvr.localPort).toBe(nPort);

    // |  | sockClient.Connect(strAddr, nPort); 3,4 — a dotted number, or else a machine name |
    const connectErrors: unknown[] = [];
    sockClient.on('connect', (err) => connectErrors.push(err));
    await sockClient.connect('127.0.0.1', nPort);
    await sockClient2.connect('localhost', nPort);
    expect(sockClient.state).toBe('connected');
    expect(sockClient2.state).toBe('connected');
    expect(sockClient.remotePort).toBe(nPort);
    expect(sockClient2.remoteAddress).toBe('127.0.0.1');
    expect(connectErrors).toEqual([undefined]);

    // | CSocket sockRecv; sockSrvr.Accept(sockRecv); 5 — a new socket, connected by Accept |  |
    const recvA = await sockSrvr.accept({ timeoutMs: 5000 });
    const recvB = await sockSrvr.accept({ timeoutMs: 5000 });
    expect(acceptEvents).toBe(2);
    for (const r of [recvA, recvB]) {
      expect(r).toBeInstanceOf(StreamSocket);
      expect(r).not.toBe(sockSrvr);
      expect(r.state).toBe('connected');
      expect(r.localPort).toBe(nPort);
    }
    expect(new Set([recvA.remotePort, recvB.remotePort])).toEqual(new Set([sockClient.localPort, sockClient2.localPort]));
    const recvOf = (c: StreamSocket) => (recvA.remotePort === c.localPort ? recvA : recvB);
    expect(sockSrvr.state).toBe('listening'); // the listener goes on listening

    const pairs = [sockClient, sockClient2].map((client) => {
      const sockRecv = recvOf(client);
      // | CSocketFile file(&sockRecv); | CSocketFile file(&sockClient); |
      const srvFile = new SocketFile(sockRecv);
      const cliFile = new SocketFile(client);
      // | CArchive arIn(&file, load); and arOut(&file, store) — both | the same on the client |
      return {
        client,
        sockRecv,
        srvFile,
        srvIn: new Archive(srvFile, 'load', { types }),
        srvOut: new Archive(srvFile, 'store', { types }),
        cliIn: new Archive(cliFile, 'load', { types }),
        cliOut: new Archive(cliFile, 'store', { types }),
      };
    });

    for (const { sockRecv, srvIn, srvOut, cliIn, cliOut } of pairs) {
      // | arIn >> dwValue; or arOut << dwValue; 6 | the same, both ways |
      let received = 0;
      sockRecv.on('receive', (n) => (received += n)); // OnReceive
      cliOut.write('DWORD', 7);
      await cliOut.flush(); // flushing an archive on a socket = sending a message
      expect(await srvIn.readBytes(4)).toEqual(Buffer.from([7, 0, 0, 0])); // little-endian DWORD
      expect(received).toBe(4);
      srvOut.write('DWORD', 0xdeadbeef);
      await srvOut.flush();
      expect(await cliIn.read('DWORD')).toBe(0xdeadbeef);

      // Every primitive type, client to server and back.
      await everyPrimitive(cliOut, srvIn);
      await everyPrimitive(srvOut, cliIn);

      // A whole message through its codec, both ways.
      const order = referenceOrder(41);
      orderCodec.write(cliOut, order);
      await cliOut.flush();
      expect(await orderCodec.read(srvIn, { timeoutMs: 5000 })).toEqual(order);
      const reply = { ...referenceOrder(42), customer: 'Café Zürich — Ltd', notes: [] };
      orderCodec.write(srvOut, reply);
      await srvOut.flush();
      expect(await orderCodec.read(cliIn, { timeoutMs: 5000 })).toEqual(reply);
    }

    // Datagram sockets need no Listen/Accept: SendTo / ReceiveFrom, both ways.
    const dA = await DatagramSocket.create({ address: LOOPBACK });
    const dB = await DatagramSocket.create({ address: LOOPBACK });
    await dA.sendTo(Buffer.from('ping ✓'), dB.localPort, '127.0.0.1');
    const ping = await dB.receiveFrom({ timeoutMs: 5000 });
    expect(ping.data.toString()).toBe('ping ✓');
    expect(ping).toMatchObject({ address: '127.0.0.1', port: dA.localPort });
    await dB.sendTo(Buffer.from([1, 2, 3]), ping.port, 'localhost'); // a name, looked up as Connect does
    const pong = await dA.receiveFrom({ timeoutMs: 5000 });
    expect([...pong.data]).toEqual([1, 2, 3]);
    expect(pong.port).toBe(dB.localPort);
    // … or Connect on a datagram socket, then Send / Receive.
    await dA.connect('127.0.0.1', dB.localPort);
    await dB.connect('localhost', dA.localPort);
    expect(dA.state).toBe('connected');
    expect(dA.remotePort).toBe(dB.localPort);
    await dA.send(Buffer.from('over a connected datagram socket'));
    expect((await dB.receive({ timeoutMs: 5000 })).toString()).toBe('over a connected datagram socket');
    await dB.send(Buffer.alloc(0)); // an empty datagram is a datagram too
    expect((await dA.receive({ timeoutMs: 5000 })).length).toBe(0);

    // CArchive does not work with datagrams: no CSocketFile over a datagram socket.
    expect(thrown(() => new SocketFile(dA)).code).toBe('ARCHIVE_REQUIRES_STREAM');
    expect(thrown(() => new SocketFile(dB)).code).toBe('ARCHIVE_REQUIRES_STREAM');
    await dA.close();
    await dB.close();

    // CSocketFile has no Seek (nor the other members that assume a file).
    const { srvFile, srvIn, srvOut, cliIn, cliOut, client, sockRecv } = pairs[0];
    for (const op of NOT_SUPPORTED) {
      const err = thrown(() => srvFile[op]());
      expect(err.code, op).toBe('NOT_SUPPORTED');
      expect(err.message.toLowerCase()).toContain(op.toLowerCase());
    }
    // … and refusing them changed nothing: the file still carries values.
    cliOut.write('WORD', 513);
    await cliOut.flush();
    expect(await srvIn.read('WORD')).toBe(513);

    // The objects go out of scope: Close. Store data written without a flush goes out first.
    const closes: CloseInfo[] = [];
    sockRecv.on('close', (info) => closes.push(info)); // OnClose
    const sentBefore = client.bytesOut;
    cliOut.write('DWORD', 0xcafebabe);
    cliOut.write('CString', 'adiós — bye');
    orderCodec.write(cliOut, referenceOrder(99));
    expect(client.bytesOut).toBe(sentBefore); // still in the archive's buffer
    expect(cliOut.isBufferEmpty()).toBe(false);
    const clientClosed = client.close();
    await new Promise<void>((resolve) => sockRecv.once('close', () => resolve()));
    expect(closes).toEqual([{ reason: 'graceful' }]);
    expect(sockRecv.peerClosed).toEqual({ reason: 'graceful' });
    expect(await srvIn.read('DWORD')).toBe(0xcafebabe);
    expect(await srvIn.read('CString')).toBe('adiós — bye');
    expect(await orderCodec.read(srvIn)).toEqual(referenceOrder(99));
    expect(srvIn.isBufferEmpty()).toBe(true);
    await sockRecv.close();
    await clientClosed;
    expect(client.state).toBe('closed');
    expect(cliIn.isBufferEmpty()).toBe(true);
    void srvOut;

    // Both ends close together: a close waits (bounded) for the peer's FIN, as a graceful close does.
    await Promise.all([sockClient2.close(), recvOf(sockClient2).close(), sockSrvr.close()]);
    expect(sockSrvr.state).toBe('closed');
  });
});
