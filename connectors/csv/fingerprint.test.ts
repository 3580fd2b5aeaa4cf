// `encoding: auto` on damaged files (found by the fuzzer, testkit/fuzz/): a UTF-8 file cut inside a character or
// with one bad byte was detected as GB18030 and read as mojibake (failing as missing-columns, or loading garbled
// text under ASCII headers). Now UTF-8 evidence before the damage keeps it UTF-8, and it fails naming the line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeGbk } from '../../fixtures/generator/gbk.ts';
import { makeTempDir } from '../../lib/temp-dir.ts';
import { fingerprint } from './fingerprint.ts';
import { readCsvParts } from './prepare.ts';

const { dir, cleanup } = makeTempDir();
afterAll(() => cleanup());

const TEXT = 'name,uscc,city\n河北旭禾建筑装饰工程有限公司,91130105MA07XQNN9N,石家庄市\n';

async function detect(name: string, bytes: Buffer): Promise<string> {
  writeFileSync(join(dir, name), bytes);
  return (await fingerprint(join(dir, name), 'auto')).encoding;
}

describe('fingerprint: encoding auto', () => {
  it('keeps clean files as they were: UTF-8, UTF-8 with BOM, GBK as GB18030', async () => {
    expect(await detect('u.csv', Buffer.from(TEXT))).toBe('utf-8');
    expect(await detect('b.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]))).toBe('utf-8-bom');
    expect(await detect('g.csv', encodeGbk(TEXT))).toBe('gb18030');
  });

  it('a UTF-8 file cut inside its last character, or with a bad byte after UTF-8 text, stays UTF-8', async () => {
    const b = Buffer.from(TEXT.trimEnd());
    expect(await detect('cut.csv', b.subarray(0, b.length - 1))).toBe('utf-8');
    const bad = Buffer.from(TEXT);
    bad[bad.length - 3] = 0xff;
    expect(await detect('bad.csv', bad)).toBe('utf-8');
    // a BOM says UTF-8 whatever follows
    expect(await detect('bom-bad.csv', Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0xff, 0x0a]))).toBe('utf-8-bom');
  });

  it('little UTF-8 before the first invalid byte is not evidence: GB18030', async () => {
    expect(await detect('few.csv', Buffer.concat([Buffer.from('a,b\n市,'), encodeGbk('石家庄市\n')]))).toBe('gb18030');
  });

  it('the damaged UTF-8 file then fails as undecodable-bytes naming its line, never as mojibake', async () => {
    const bad = Buffer.from(TEXT);
    bad[bad.length - 3] = 0xff;
    const path = join(dir, 'bad.csv');
    writeFileSync(path, bad);
    const fp = await fingerprint(path, 'auto');
    const parts = readCsvParts({
      path,
      label: 'bad.csv',
      encoding: fp.encoding === 'gb18030' ? 'gb18030' : 'utf-8',
      delimiter: ',',
      quote: '"',
      headerRow: 1,
      tmpDir: dir,
      partRecords: 100,
      onHeader: () => {},
    });
    await expect(async () => {
      for await (const _ of parts);
    }).rejects.toMatchObject({ code: 'undecodable-bytes', message: 'bad.csv: line 2: bytes that are not valid UTF-8' });
  });
});
