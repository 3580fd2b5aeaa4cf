// The logger's two faces: JSON lines for machines, plain lines for people on a terminal (errors left to the CLI).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './log.ts';

describe('createLogger', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes `jianguan: warning: …` for people, and no error line (the CLI says the error once)', () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const log = createLogger('info', { human: true }).child({ run: 7 });
    log.info({ file: 'a.csv' }, 'loaded');
    log.warn('source x matches no file');
    log.error({ code: 'check-failed' }, 'run 7 failed');
    expect(lines).toEqual(['jianguan: info: loaded\n', 'jianguan: warning: source x matches no file\n']);
  });
});
