// A file's stat stamp: size, mtime, ctime, inode and device in nanoseconds. Any write changes at least ctime, which
// user space cannot set back, so a hash recorded under a stamp holds for as long as the file shows that stamp (as
// in git's index). Recorded by `load` (when it hashes a file) and `verify`; trusted by `lineage`.
import type { BigIntStats } from 'node:fs';

export interface StatStamp {
  bytes: number;
  stamp: string;
}

export function stampOf(s: BigIntStats): StatStamp {
  return { bytes: Number(s.size), stamp: `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}:${s.dev}` };
}
