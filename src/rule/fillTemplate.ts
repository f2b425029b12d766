/**
 * Risk message templates as Splunk writes them: `$field$` is replaced by the field's value, and
 * nothing else happens. A template is never evaluated: a value that itself holds `$host$` stays as
 * it is, since substitution is one pass over the template only.
 */
export type TemplatePart = { text: string } | { field: string };

const NAME = /^[A-Za-z0-9_.:-]+$/;

export class TemplateError extends Error {}

/** The template's literal runs and placeholders; every `$` opens or closes a placeholder. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let at = 0;
  for (;;) {
    const open = template.indexOf('$', at);
    if (open < 0) break;
    const close = template.indexOf('$', open + 1);
    if (close < 0) throw new TemplateError(`has a "$" at character ${open + 1} with no closing "$" (placeholders are written $field$)`);
    const field = template.slice(open + 1, close);
    if (!NAME.test(field)) {
      throw new TemplateError(`has a bad placeholder ${JSON.stringify(template.slice(open, close + 1))} at character ${open + 1}: a field name is letters, digits, "_", ".", ":" or "-"`);
    }
    if (open > at) parts.push({ text: template.slice(at, open) });
    parts.push({ field });
    at = close + 1;
  }
  if (at < template.length) parts.push({ text: template.slice(at) });
  return parts;
}

/** The field names a template's placeholders name, in order of first use. */
export function templateFields(template: string): string[] {
  const names: string[] = [];
  for (const p of parseTemplate(template)) if ('field' in p && !names.includes(p.field)) names.push(p.field);
  return names;
}

export function fillTemplate(template: string, fields: Readonly<Record<string, string | number>>): string {
  let parts: TemplatePart[];
  try {
    parts = parseTemplate(template);
  } catch (e) {
    if (e instanceof TemplateError) throw new TemplateError(`rules: template ${JSON.stringify(template)} ${e.message}`);
    throw e;
  }
  let out = '';
  for (const p of parts) {
    if ('text' in p) {
      out += p.text;
      continue;
    }
    if (!Object.hasOwn(fields, p.field)) throw new TemplateError(`rules: template ${JSON.stringify(template)} names $${p.field}$, which has no value here`);
    out += String(fields[p.field]);
  }
  return out;
}
