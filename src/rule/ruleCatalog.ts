import { builtinRules } from './builtinRules.js';
import type { RuleDefinition } from './ruleDefinition.js';
import { RuleFileError, readRuleFile } from './ruleFile.js';

/** The built-in rules and a site's own (--rules files), with ids and names unique across all. */
export class RuleCatalog {
  readonly all: RuleDefinition[];

  constructor(readonly builtins: RuleDefinition[], readonly site: RuleDefinition[]) {
    this.all = [...builtins, ...site];
    for (let i = 0; i < this.all.length; i++) {
      const r = this.all[i];
      const earlier = this.all.slice(0, i);
      const sameId = earlier.find((e) => e.id.toLowerCase() === r.id.toLowerCase());
      if (sameId) throw new RuleFileError(`rules: ${r.file} line ${r.lines.id}: id "${r.id}" is already the id of ${sameId.file} (ids and names must be unique, whatever their case)`);
      const sameName = earlier.find((e) => e.name.toLowerCase() === r.name.toLowerCase());
      if (sameName) throw new RuleFileError(`rules: ${r.file} line ${r.lines.name}: name "${r.name}" is already the name of ${sameName.file} (ids and names must be unique, whatever their case)`);
    }
  }

  static load(siteFiles: readonly string[]): RuleCatalog {
    return new RuleCatalog(builtinRules(), siteFiles.map((f) => readRuleFile(f)));
  }

  /**
   * The rule whose id or name is `idOrName`, case-insensitively; or whose id alone starts with it,
   * when it has at least 8 characters (the table's short id).
   */
  find(idOrName: string): RuleDefinition | undefined {
    const want = idOrName.trim().toLowerCase();
    const exact = this.all.find((r) => r.id.toLowerCase() === want || r.name.toLowerCase() === want);
    if (exact || want.length < 8) return exact;
    const prefixed = this.all.filter((r) => r.id.toLowerCase().startsWith(want));
    return prefixed.length === 1 ? prefixed[0] : undefined;
  }
}
