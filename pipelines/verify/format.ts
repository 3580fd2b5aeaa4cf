// The verify report for a terminal: a verdict, what was checked, then every listed finding.

import { LISTED_PER_KIND } from './problems.ts';
import type { VerifyReport } from './verify.ts';

export function formatVerifyReport(r: VerifyReport): string {
  const out: string[] = [];
  const errors = Object.entries(r.counts).filter(([k]) => r.problems.some((p) => p.kind === k && p.severity === 'error'));
  // "nothing missing" only when every landed file was found: not when files were not checked or were allowed missing
  const verdict = !r.files
    ? 'verify: OK — ledger, raw rows, references and manifests intact; landing files NOT checked (no sources config)'
    : r.files.missing > 0
      ? `verify: OK — nothing altered or orphaned; ${r.files.missing} landing files missing (allowed by --allow-missing)`
      : 'verify: OK — nothing missing, altered or orphaned';
  const unchecked = r.rowHashes.unchecked_batches ? ` (rows of ${r.rowHashes.unchecked_batches} HMAC batch(es) not re-hashed: no key)` : '';
  out.push(r.ok ? `${verdict}${unchecked}` : `verify: PROBLEMS FOUND (${errors.map(([k, n]) => `${k} ${n}`).join(', ')})`);
  const ck = r.checked;
  if (ck?.source === 'snapshot') {
    const p = ck.published;
    const after =
      ck.batchesAfter === null
        ? 'batches loaded after it are not covered'
        : `${ck.batchesAfter} batch(es) loaded after it are not covered${ck.batchesAfter ? ' (verify --live checks them)' : ''}`;
    out.push(`checked: the published snapshot ${ck.file}${p ? ` (run ${p.run_id}, as of ${p.as_of ?? 'an unknown date'})` : ''}; ${after}`);
  } else if (ck) out.push(`checked: the warehouse itself ${ck.file} (--live)`);
  if (r.files) {
    const f = r.files;
    const c = r.config;
    const whence = c ? ` under ${c.landingDir} (config ${c.path}${c.from === 'last-run' ? `, recorded by run ${c.runId}` : ''})` : '';
    out.push(
      `files: ${f.files} re-hashed${whence} (${(f.bytes_hashed / 2 ** 20).toFixed(1)} MiB): ${f.ok} unchanged, ${f.missing} missing, ${f.altered} altered, ${f.superseded} superseded by a later load, ${f.archived} gone but kept in the archive`,
    );
  } else {
    out.push(
      'files: NOT checked: no sources config, so the landing dir is unknown (give --config, or keep ./jianguan.sources.json; a run records the one it used)',
    );
  }
  const a = r.archive;
  out.push(
    !a.enabled
      ? `archive: OFF ("archive_dir": false in the sources config): re-sent or deleted files cannot be recovered; ${a.entries} entries from before were checked: ${a.ok} intact, ${a.missing} missing, ${a.altered} altered`
      : `archive: ${a.entries} entries${a.dir ? ` under ${a.dir}` : ''} (${(a.bytes_checked / 2 ** 20).toFixed(1)} MiB decompressed and re-hashed): ${a.ok} intact, ${a.missing} missing, ${a.altered} altered, ${a.pruned} pruned by retention; ${a.not_archived} loaded batches never archived`,
  );
  out.push(`ledger: ${r.ledger.batches} batches, ${r.ledger.raw_rows} raw rows, ${r.ledger.rejects} rejects reconciled`);
  out.push(`references: ${r.references.lineage_refs} lineage, ${r.references.evidence_refs} evidence; manifests: ${r.manifests}`);
  const algs = Object.entries(r.rowHashes.batches_by_alg).map(([a, n]) => `${a} ${n}`);
  out.push(
    `row hashes: batches by algorithm ${algs.join(', ') || 'none'}${r.rowHashes.unchecked_batches ? `; ${r.rowHashes.unchecked_batches} HMAC batch(es) NOT re-hashed (no JIANGUAN_HMAC_KEY)` : ''}`,
  );
  const fp = r.fingerprints;
  const fpLine = (what: string, f: { run_id: number | null; tables: number; note: string | null }) =>
    f.note ? `${what} ${f.note}` : `${what} ${f.tables} tables against run ${f.run_id}`;
  out.push(`fingerprints: ${fpLine('warehouse', fp.warehouse)}; ${fpLine('snapshot', fp.snapshot)}`);
  out.push(
    r.anchor
      ? `anchor: ${r.anchor.file}: ${r.anchor.matched} of ${r.anchor.lines} anchored runs match${r.anchor.after_file ? `, ${r.anchor.after_file} published with or after this snapshot (not in it: verify --live checks them)` : ''}${r.anchor.first_diverged !== null ? `; diverged at run ${r.anchor.first_diverged}` : ''}`
      : 'anchor: none given (--anchor FILE): the manifest chain was checked against itself only, which a consistent rewrite of the warehouse passes',
  );
  for (const p of r.problems) {
    const where = [p.table, p.batch_id !== null ? `batch ${p.batch_id}` : null, p.location].filter(Boolean).join(' · ');
    const label = p.severity === 'error' ? 'ERROR' : p.kind === 'raw-hash-unchecked' ? 'WARN ' : 'info ';
    out.push(`${label} ${p.kind}${where ? ` [${where}]` : ''}: ${p.detail}`);
  }
  for (const [kind, n] of Object.entries(r.counts)) {
    const listed = r.problems.filter((p) => p.kind === kind).length;
    if (listed === LISTED_PER_KIND && (n as number) > listed) out.push(`… ${kind}: only the first ${listed} findings are listed (${n} in all)`);
  }
  out.push(`(${r.elapsedMs} ms)`);
  return out.join('\n');
}
