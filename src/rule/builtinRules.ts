import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleDefinition } from './ruleDefinition.js';
import { readRuleFile } from './ruleFile.js';

/** The rule this tool was built around, and the one detect and hunt run by default. */
export const OUTBOUND_RULE_ID = 'dd6afee6-e0a3-4028-a089-f47dd2842c22';
export const OUTBOUND_RULE_FILE = 'kubernetes_anomalous_outbound_network_activity_from_process.yaml';

export const RULES_FOLDER = 'rules';

let root: string | undefined;

/**
 * The package's root, found by walking up from this module: the same from src/ under the tests,
 * from dist/src/ or a worker bundle in dist/workers/, and from an install in node_modules.
 */
export function packageRoot(): string {
  if (root) return root;
  const from = dirname(fileURLToPath(import.meta.url));
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'egress-anomaly') return (root = dir);
    if (dirname(dir) === dir) throw new Error(`rules: no egress-anomaly package.json above ${from}, so the built-in rules cannot be found`);
  }
}

const parsed = new Map<string, RuleDefinition>();
let listed: RuleDefinition[] | undefined;

/** One file of rules/, read and validated once per process. */
export function builtinRuleFile(name: string): RuleDefinition {
  let r = parsed.get(name);
  if (!r) {
    r = readRuleFile(join(packageRoot(), RULES_FOLDER, name), `${RULES_FOLDER}/${name}`, true);
    parsed.set(name, r);
  }
  return r;
}

/** Every rule file shipped in rules/: the outbound rule first, then in file-name order. */
export function builtinRules(): RuleDefinition[] {
  if (listed) return listed;
  let names: string[];
  try {
    names = readdirSync(join(packageRoot(), RULES_FOLDER)).filter((n) => n.endsWith('.yaml')).sort((a, b) => Number(b === OUTBOUND_RULE_FILE) - Number(a === OUTBOUND_RULE_FILE) || (a < b ? -1 : 1));
  } catch (cause) {
    throw new Error(`rules: cannot list the built-in rules in ${RULES_FOLDER}/: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
  listed = names.map(builtinRuleFile);
  return listed;
}

/** The outbound rule's file alone: what a plain detect needs, without parsing its siblings. */
export function outboundRuleFile(): RuleDefinition {
  const r = builtinRuleFile(OUTBOUND_RULE_FILE);
  if (r.id !== OUTBOUND_RULE_ID) throw new Error(`rules: ${r.file} has id ${r.id}; the outbound rule's is ${OUTBOUND_RULE_ID}`);
  return r;
}
