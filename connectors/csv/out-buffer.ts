// Builds a part file in large buffers with synchronous writes: copying record bytes straight from the input
// avoids a string per record, and no await per record keeps the scan loop tight (it runs on the main thread
// either way; a flush is one 8 MiB write).
import { closeSync, openSync, writeSync } from 'node:fs';

const DIGITS = 20;

export class OutBuffer {
  private buf = Buffer.allocUnsafe(8 << 20);
  private pos = 0;
  private readonly fd: number;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n * 2);
  }

  flush(): void {
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.pos = 0;
  }

  /** A non-negative integer in decimal, then one separator byte. */
  uint(n: number, sep: number): void {
    this.ensure(DIGITS + 1);
    let digits = 1;
    for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
    let p = this.pos + digits;
    this.buf[p] = sep;
    do {
      this.buf[--p] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    this.pos += digits + 1;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  bytes(src: Buffer, start: number, end: number): void {
    this.ensure(end - start);
    this.pos += src.copy(this.buf, this.pos, start, end);
  }

  text(s: string): void {
    this.ensure(Buffer.byteLength(s, 'utf8'));
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}
