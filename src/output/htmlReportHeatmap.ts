import type { Finding } from '../evaluate/finding.js';
import { escapeHtml as h } from './htmlReportEscape.js';

const label = (ms: number) => new Date(ms).toISOString().slice(5, 16).replace('T', ' ');

/**
 * Hunt's overview as a plain table: one row per rule and key (workload:process) with a finding, one column per
 * detection time, each cell the count summed over clusters (its title names them). No script, so
 * it reads even where charts do not draw.
 */
export function heatmapHtml(findings: Finding[], times: number[]): string {
  if (findings.length === 0) return '<p>No findings at any detection time.</p>';
  const col = new Map(times.map((t, i) => [new Date(t).toISOString(), i]));
  const rows = new Map<string, { label: string; cells: { count: number; hosts: string[] }[] }>();
  for (const f of findings) {
    const key = JSON.stringify([f.rule_id, f.key[0], f.key[1]]);
    let row = rows.get(key);
    if (!row) {
      row = { label: `${f.key[0]}:${f.key[1]}`, cells: times.map(() => ({ count: 0, hosts: [] })) };
      rows.set(key, row);
    }
    const i = col.get(f.detection_time);
    if (i === undefined) continue;
    row.cells[i].count += f.count;
    row.cells[i].hosts.push(`${f.host} ${f.count}`);
  }
  // a loop, not Math.max(...cells): a year of hourly T has too many cells to spread into a call
  let max = 1;
  for (const r of rows.values()) for (const c of r.cells) if (c.count > max) max = c.count;
  const every = Math.max(1, Math.ceil(times.length / 24));
  const head = times.map((t, i) => `<th class="t" scope="col">${i % every === 0 ? h(label(t)) : ''}</th>`).join('');
  const body = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => {
    const cells = r.cells.map((c, i) => {
      if (c.count === 0) return '<td></td>';
      const alpha = (0.2 + 0.8 * Math.log1p(c.count) / Math.log1p(max)).toFixed(3);
      const title = `${new Date(times[i]).toISOString()} ${r.label}: ${c.count} (${c.hosts.join(', ')})`;
      return `<td class="on" style="background:rgba(198,40,40,${alpha})" title="${h(title)}" data-count="${c.count}"></td>`;
    }).join('');
    return `<tr><th scope="row">${h(r.label)}</th>${cells}</tr>`;
  });
  const size = times.length <= 48 ? 'wide' : times.length <= 240 ? 'mid' : 'narrow';
  return `<div class="heatwrap"><table class="heat ${size}" data-rows="${rows.size}" data-cols="${times.length}"><thead><tr><th>key \\ T (UTC)</th>${head}</tr></thead>` +
    `<tbody>${body.join('')}</tbody></table></div><p class="note">Cell: anomalous (bucket, metric) pairs summed over clusters; darker is more (log scale, max ${max}). Hover a cell for its clusters.</p>`;
}
