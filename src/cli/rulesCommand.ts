import { ruleJsonSchema } from '../rule/ruleSchema.js';
import type { RuleDefinition } from '../rule/ruleDefinition.js';
import { scanEvaluates } from '../rule/rule.js';
import { ruleCatalogOf } from './selectRule.js';

export interface RulesArgs {
  rules?: string[];
  check?: string[];
  format: 'table' | 'json';
  schema: boolean;
}

const EVALUATED = 'detect and hunt evaluate it';
const NOT_YET = 'defined, not yet evaluated by the scan';

function keyOf(r: RuleDefinition): string {
  return `${r.key.join(' + ')} by ${r.groupBy}`;
}

function jsonOf(r: RuleDefinition): Record<string, unknown> {
  return {
    id: r.id, name: r.name, version: r.version, kind: r.kind, key: r.key, groupBy: r.groupBy, metrics: r.metrics,
    window: r.window, ...(r.kind === 'zscore' ? { span: r.span, sigma: r.sigma, minCount: r.minCount } : {}), baseline: r.baseline,
    riskScore: r.riskScore, riskObject: r.riskObject, message: r.message, mitreAttackIds: r.mitreAttackIds,
    file: r.file, builtin: r.builtin, evaluated: scanEvaluates(r),
  };
}

function table(rules: RuleDefinition[]): string {
  const head = ['ID', 'KIND', 'KEY', 'METRICS', 'EVALUATED', 'NAME'];
  const rows = rules.map((r) => [r.id, r.kind, keyOf(r), r.metrics.join(','), scanEvaluates(r) ? 'yes' : 'not yet',
    r.builtin ? r.name : `${r.name} (${r.file})`]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(head), ...rows.map(line)].join('\n') + '\n' +
    '\ndetect and hunt (--state and shards included) run any of them, several in one pass (--rule A --rule B).\n' +
    'A rule marked "not yet" (a key of other than two columns) is defined, but the scan cannot fold it.\n';
}

/** egress-anomaly rules: list the built-in and given rules, check a site's files, or print the schema. */
export async function rulesCommand(a: RulesArgs): Promise<void> {
  if (a.schema) {
    process.stdout.write(`${JSON.stringify(ruleJsonSchema(), null, 2)}\n`);
    return;
  }
  const checked = a.check ?? [];
  const catalog = ruleCatalogOf([...(a.rules ?? []), ...checked]);
  if (checked.length > 0) {
    const rules = catalog.site.slice(-checked.length);
    if (a.format === 'json') process.stdout.write(`${JSON.stringify(rules.map(jsonOf), null, 2)}\n`);
    else for (const r of rules) process.stdout.write(`${r.file}: ok: ${r.id} "${r.name}", ${r.kind}, key ${keyOf(r)}; ${scanEvaluates(r) ? EVALUATED : NOT_YET}\n`);
    return;
  }
  process.stdout.write(a.format === 'json' ? `${JSON.stringify(catalog.all.map(jsonOf), null, 2)}\n` : table(catalog.all));
}
