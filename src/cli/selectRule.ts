import { RuleCatalog } from '../rule/ruleCatalog.js';
import type { RuleDefinition } from '../rule/ruleDefinition.js';
import { RuleFileError } from '../rule/ruleFile.js';
import { outboundRule, scanEvaluates } from '../rule/rule.js';
import { UsageError } from './parseOptions.js';

export interface RuleSelectionArgs {
  rule?: string[];
  rules?: string[];
}

/** The built-in rules and the --rules files; a file that is not a valid rule is a usage error. */
export function ruleCatalogOf(files: readonly string[]): RuleCatalog {
  try {
    return RuleCatalog.load(files);
  } catch (e) {
    if (e instanceof RuleFileError) throw new UsageError(e.message, { cause: e });
    throw e;
  }
}

export function describeRule(r: RuleDefinition): string {
  return `${r.id} (${r.name}${r.builtin ? '' : `, from ${r.file}`})`;
}

/**
 * --rule picks rules by id or name among the built-ins and the --rules files; without --rule, the
 * --rules files' rules run; with neither, the outbound rule.
 */
export function selectedRules(a: RuleSelectionArgs): RuleDefinition[] {
  const picks = a.rule ?? [];
  const files = a.rules ?? [];
  if (picks.length === 0 && files.length === 0) return [outboundRule()];
  const catalog = ruleCatalogOf(files);
  if (picks.length === 0) return catalog.site;
  const out: RuleDefinition[] = [];
  for (const p of picks) {
    const r = catalog.find(p);
    if (!r) {
      const site = catalog.site.length ? `; from --rules: ${catalog.site.map(describeRule).join(', ')}` : '';
      throw new UsageError(`--rule: no rule has the id or name ${JSON.stringify(p)}; the built-in rules are ${catalog.builtins.map(describeRule).join(', ')}${site}`);
    }
    if (!out.includes(r)) out.push(r);
  }
  return out;
}

/** The option that chose the rules, for messages: --rule, else --rules. */
export function selectionOption(a: RuleSelectionArgs): string {
  return (a.rule ?? []).length > 0 ? '--rule' : '--rules';
}

/** The rules a run evaluates; each must have a key of two columns. */
export function scanRulesOf(a: RuleSelectionArgs): RuleDefinition[] {
  const option = selectionOption(a);
  const selected = selectedRules(a);
  const notYet = selected.filter((r) => !scanEvaluates(r));
  if (notYet.length > 0) {
    throw new UsageError(`${option}: ${notYet.map(describeRule).join(', ')} ${notYet.length === 1 ? 'has' : 'have'} a key of other than two columns; ` +
      'the scan folds keys of two columns, as every built-in rule has (see "egress-anomaly rules")');
  }
  return selected;
}
