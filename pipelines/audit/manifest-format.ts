// `jianguan runs show` for a terminal.
import { formatResent, type ResentFile } from '../archive/changes.ts';
import type { RunShow } from './manifest-show.ts';

const sign = (n: number | null) => (n === null ? '' : n > 0 ? `+${n}` : n < 0 ? String(n) : '±0');

export function formatRunShow(s: RunShow & { resent?: ResentFile[] }): string {
  const r = s.run;
  const out: string[] = [];
  out.push(`run ${r.run_id} · ${r.command} · ${r.status} (exit ${r.exit_code ?? '—'}) · ${r.started_at} → ${r.finished_at ?? 'running'}`);
  if (r.error) out.push(`error: ${r.error}`);
  out.push(`code ${r.code_version ?? '—'} · config ${r.config_file ?? '—'} (sha256 ${r.config_hash ?? '—'})`);
  if (s.manifest) out.push(`manifest sha256 ${s.manifest.sha256} (previous ${s.manifest.prev_sha256 ?? 'none'})`);
  else out.push('manifest: not recorded');
  const by = (st: string) => s.batches.filter((b) => b.status === st).length;
  out.push('', `files: ${s.batches.length} (${by('loaded')} loaded, ${by('skipped')} skipped, ${by('failed')} failed)`);
  for (const b of s.batches) {
    out.push(
      `  ${String(b.batch_id).padStart(5)} ${b.status.padEnd(7)} ${b.location}  read ${b.rows_read} loaded ${b.rows_loaded} rejected ${b.rows_rejected}  ${b.sha256.slice(0, 12)}${b.error_code ? `  ${b.error_code}` : ''}`,
    );
  }
  if (s.resent?.length) out.push(...formatResent(s.resent));
  if (s.rejects_by_reason.length) out.push(`rejects: ${s.rejects_by_reason.map((x) => `${x.reason_code} ${x.n}`).join(', ')}`);
  if (s.tables.length) {
    out.push('', 'tables (rows, change since the previous recorded run):');
    for (const t of s.tables) out.push(`  ${t.table.padEnd(32)} ${String(t.rows).padStart(9)} ${sign(t.delta)}`);
  }
  out.push('', `checks: ${s.checks.total} run, ${s.checks.failed} failed`);
  for (const f of s.checks.failures) out.push(`  ✗ ${f.model} ${f.check_name}: ${f.details ?? ''}`);
  if (s.params_changed.length) {
    out.push('', 'parameters changed since the previous run:');
    for (const p of s.params_changed) out.push(`  ${p.name}: ${p.before ?? '—'} → ${p.after ?? '—'}`);
  }
  if (s.publish) {
    const p = s.publish;
    out.push('', p.published ? `published as of ${p.as_of}` : `not published (marts as of ${p.as_of}): ${p.reason ?? ''}`);
  }
  const c = s.changes;
  if (c) {
    if (c.baseline_as_of === null) {
      const n = c.first_recorded.reduce((a, x) => a + x.n, 0);
      out.push('', `risk as of ${c.as_of}: the history held nothing for this date or before it; first recorded state:`);
      out.push(`  ${n} entit${n === 1 ? 'y' : 'ies'}: ${c.first_recorded.map((x) => `${x.class} ${x.n}`).join(', ') || 'none'}`);
      return out.join('\n');
    }
    out.push(
      '',
      `risk changes as of ${c.as_of} (against the history${c.baseline_as_of === c.as_of ? ' for the same date' : ` as of ${c.baseline_as_of}`}):`,
    );
    if (!c.class_moves.length) out.push('  no entity changed class');
    for (const m of c.class_moves) out.push(`  ${m.from} → ${m.to}: ${m.n} entit${m.n === 1 ? 'y' : 'ies'}`);
    for (const e of c.entities) out.push(`    ${e.entity_id} ${e.name ?? ''} ${e.from} → ${e.to}${e.score === null ? '' : ` (score ${e.score})`}`);
    out.push(`  alerts opened: ${c.alerts_opened.length}, closed: ${c.alerts_closed.length}`);
    for (const a of c.alerts_opened) out.push(`    + ${a.severity} ${a.rule_code} ${a.entity_id}: ${a.message}`);
    for (const a of c.alerts_closed) out.push(`    − ${a.rule_code} ${a.entity_id} (${a.alert_id})`);
  }
  return out.join('\n');
}
