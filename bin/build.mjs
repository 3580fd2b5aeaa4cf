#!/usr/bin/env node
// `npm run build` (also run by `npm ci` through `prepare`): bundles the CLI's TypeScript into plain ES modules
// with esbuild, one chunk per lazily loaded command, so a command starts without compiling TypeScript on the way.
// Packages are bundled too, all but DuckDB's native binding; sql/ and schemas/reference/ are read at run time
// from the package folder (lib/paths.ts). build.json records every bundled source with its size and mtime:
// bin/jianguan.mjs runs the bundle only while all of them are unchanged, and the sources through tsx otherwise.
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEFAULT_OUT, ROOT } from './bundle.mjs';

/** Bundles bin/cli.ts into `out` (replaced as a whole); returns the number of sources bundled. */
export async function build(out = DEFAULT_OUT) {
  const { build: esbuild } = await import('esbuild');
  const staging = `${out}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const result = await esbuild({
    entryPoints: { cli: join(ROOT, 'bin', 'cli.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // the native DuckDB binding stays a package (and so would pino transports, started as worker threads by file
    // name: jianguan logs through pino.destination, no transport); the rest is bundled, as resolving and compiling
    // a package's many small modules is most of a start
    external: ['@duckdb/node-bindings', '@duckdb/node-bindings-*', 'tsx', 'esbuild'],
    // bundled CommonJS (@duckdb/node-api) calls require(), which an ES module has to be given
    banner: { js: "import { createRequire as __jgCreateRequire } from 'node:module'; const require = __jgCreateRequire(import.meta.url);" },
    outdir: staging,
    chunkNames: 'chunks/[name]-[hash]',
    // .mjs: under node_modules no package.json says "type": "module", and Node would otherwise sniff every file
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => {
    const abs = resolve(process.cwd(), p);
    const s = statSync(abs);
    return { path: relative(ROOT, abs), size: s.size, mtimeMs: s.mtimeMs };
  });
  writeFileSync(join(staging, 'build.json'), `${JSON.stringify({ builtAt: new Date().toISOString(), node: process.version, inputs }, null, 1)}\n`);
  mkdirSync(dirname(out), { recursive: true });
  rmSync(out, { recursive: true, force: true });
  renameSync(staging, out);
  return inputs.length;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_OUT;
  const n = await build(out);
  process.stdout.write(`jianguan: bundled ${n} sources into ${relative(process.cwd(), out) || '.'}\n`);
}
