/**
 * The hand-rolled client of bench:roundtrip (SPEC §7 "Library round trip"): what a team would write
 * instead of the library to call an archive service from Node — a `net` socket, the Order encoded
 * and decoded by hand-written Buffer code (hand-order-codec.ts), a promise per request, each request
 * written as it is made, answers matched to requests by order.
 */
import type net from 'node:net';
import { decodeOrder, encodeOrder, type Order } from './hand-order-codec.js';

interface Waiting {
  resolve: (o: Order) => void;
  reject: (e: Error) => void;
}

export class HandOrderClient {
  private readonly waiting: Waiting[] = [];
  private buffered: Buffer = Buffer.alloc(0);

  constructor(private readonly sock: net.Socket) {
    sock.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      for (let got = decodeOrder(this.buffered); got !== undefined; got = decodeOrder(this.buffered)) {
        this.buffered = this.buffered.subarray(got.length);
        this.waiting.shift()!.resolve(got.order);
      }
    });
    sock.on('error', (err) => {
      for (const w of this.waiting.splice(0)) w.reject(err);
    });
  }

  /** Sends `order` and resolves with the answer (an Order: the service echoes). */
  exchange(order: Order): Promise<Order> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.sock.write(encodeOrder(order));
    });
  }
}
