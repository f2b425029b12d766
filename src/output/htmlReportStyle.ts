/** The report page's stylesheet: readable on screen and in print, no external fonts. */
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #5b636e; --line: #d8dde3; --hot: #c62828; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: #f6f7f9; }
header { padding: 16px 28px 8px; background: #fff; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 4px 0; }
.rule { color: var(--muted); }
main { padding: 8px 28px 40px; max-width: 1280px; }
h2 { font-size: 18px; margin: 24px 0 8px; }
h3 { font-size: 16px; margin: 0 0 4px; overflow-wrap: anywhere; }
.sep { color: var(--muted); font-weight: normal; }
table { border-collapse: collapse; background: #fff; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.summary td:first-child { white-space: nowrap; }
.summary tr.hot td:first-child { border-left: 4px solid var(--hot); }
.finding { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 12px 0; }
.meta, .note { color: var(--muted); margin: 0 0 8px; overflow-wrap: anywhere; }
figure { margin: 8px 0 12px; }
.chart { width: 100%; min-height: 240px; }
.caption { margin: 4px 0; }
details { margin: 4px 0; }
summary { cursor: pointer; color: #1f5fa8; }
ul.messages { margin: 4px 0; padding-left: 20px; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
table.z td, table.z th { padding: 2px 8px; font-size: 12px; }
.heatwrap { overflow-x: auto; background: #fff; border: 1px solid var(--line); }
table.heat { border: 0; }
table.heat th, table.heat td { border: 1px solid #eef0f3; padding: 0; }
table.heat tbody th { padding: 2px 8px; white-space: nowrap; font-weight: normal; font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; max-width: 360px; overflow: hidden; text-overflow: ellipsis; }
table.heat td { height: 18px; }
table.heat.wide td { min-width: 28px; }
table.heat.mid td { min-width: 8px; }
table.heat.narrow td { min-width: 3px; }
table.heat th.t { writing-mode: vertical-rl; transform: rotate(180deg); font-size: 11px; font-weight: normal; padding: 4px 0; height: 96px; white-space: nowrap; color: var(--muted); }
.uplot table, .uplot th, .uplot td { border: 0; background: none; }
.u-legend { font-size: 12px; }
.u-legend th, .u-legend td { padding: 2px 4px; }
`;
