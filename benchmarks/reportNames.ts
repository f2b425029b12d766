/** Names, colours and the Markdown table helper shared by the report's sections. */
import type { Engine, Layout } from './bench.js';

export const ENGINE_NAMES: Record<Engine, string> = {
  ours: 'egress-anomaly detect',
  duckdb: 'DuckDB plain SQL',
  'duckdb-exact': 'DuckDB exact variant',
  polars: 'Polars (lazy)',
  floor: 'decode-only floor',
};

export const LAYOUT_NAMES: Record<Layout, string> = {
  exporter: 'exporter',
  duckdb: 'DuckDB-written, COPY defaults',
  'duckdb-day': 'DuckDB-written, day= zstd 100 k',
};

export const COLORS: Record<Engine, string> = { ours: '#d62728', duckdb: '#1f77b4', 'duckdb-exact': '#9467bd', polars: '#2ca02c', floor: '#7f7f7f' };

export const DASHES: Record<Layout, string> = { exporter: '', duckdb: ' stroke-dasharray="6 4"', 'duckdb-day': ' stroke-dasharray="2 3"' };

export const esc = (s: string) => s.replace(/\|/g, '\\|');

export const table = (header: string[], rows: string[][], align?: string[]) =>
  [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => align?.[i] ?? (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
