// Preloaded into the CLI processes the fuzzer starts (NODE_OPTIONS=--import): on exit, appends the process's peak
// RSS (KiB, from getrusage) to $FUZZ_RSS_FILE, so the fuzzer reports memory without polling /proc.
import { appendFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.FUZZ_RSS_FILE;
  if (file) appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
});
