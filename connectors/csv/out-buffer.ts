// Builds a part file in large buffers: copying record bytes straight from the input avoids a string per record.
import { type FileHandle, open } from 'node:fs/promises';

export class OutBuffer {
  private buf = Buffer.allocUnsafe(8 << 20);
  private pos = 0;
  private constructor(private readonly fh: FileHandle) {}

  static async create(path: string): Promise<OutBuffer> {
    return new OutBuffer(await open(path, 'w'));
  }

  private ensure(n: number): Promise<void> | undefined {
    if (this.pos + n <= this.buf.length) return undefined;
    return this.flushFor(n);
  }

  private async flushFor(n: number): Promise<void> {
    await this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n * 2);
  }

  async flush(): Promise<void> {
    if (this.pos === 0) return;
    await this.fh.write(this.buf, 0, this.pos);
    this.pos = 0;
  }

  async ascii(s: string): Promise<void> {
    await this.ensure(s.length);
    this.pos += this.buf.write(s, this.pos, 'latin1');
  }

  async bytes(src: Uint8Array, start: number, end: number): Promise<void> {
    await this.ensure(end - start);
    this.buf.set(src.subarray(start, end), this.pos);
    this.pos += end - start;
  }

  async text(s: string): Promise<void> {
    const b = Buffer.from(s, 'utf8');
    await this.bytes(b, 0, b.length);
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.fh.close();
    }
  }
}
