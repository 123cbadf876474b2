/**
 * A DNS server on loopback for tests: answers A records from a table and counts every query, so a
 * test can prove a name was (or was never) looked up, without any packet leaving the machine.
 * Point the gateway at it with `dnsServers: [server.address]`.
 */
import dgram from 'node:dgram';

export interface TestDnsServer {
  /** `127.0.0.1:port`, as ARCHWAY_DNS_SERVERS takes it. */
  readonly address: string;
  /** Every name asked so far (any record type), lower-case. */
  readonly queries: string[];
  close(): Promise<void>;
}

function readName(msg: Buffer, at: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = at;
  while (msg[i]! !== 0) {
    const n = msg[i]!;
    labels.push(msg.toString('latin1', i + 1, i + 1 + n));
    i += n + 1;
  }
  return { name: labels.join('.').toLowerCase(), end: i + 1 };
}

/** `records`: name → IPv4 addresses; other names get NXDOMAIN, AAAA questions no answer. */
export async function startDnsServer(records: Record<string, string[]>): Promise<TestDnsServer> {
  const sock = dgram.createSocket('udp4');
  const queries: string[] = [];
  sock.on('message', (msg, rinfo) => {
    const { name, end } = readName(msg, 12);
    queries.push(name);
    const qtype = msg.readUInt16BE(end);
    const question = msg.subarray(12, end + 4);
    const known = records[name];
    const answers = known !== undefined && qtype === 1 ? known : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0);
    header.writeUInt16BE(known === undefined ? 0x8183 : 0x8180, 2); // NXDOMAIN or NOERROR
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const rrs = answers.map((ip) => {
      const rr = Buffer.alloc(16);
      rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      rr.writeUInt16BE(1, 2); // A
      rr.writeUInt16BE(1, 4); // IN
      rr.writeUInt32BE(5, 6); // TTL
      rr.writeUInt16BE(4, 10);
      ip.split('.').forEach((b, k) => rr.writeUInt8(Number(b), 12 + k));
      return rr;
    });
    sock.send(Buffer.concat([header, question, ...rrs]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${sock.address().port}`,
    queries,
    close: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  };
}
