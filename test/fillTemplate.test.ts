import { describe, expect, it } from 'vitest';
import { TemplateError, fillTemplate, parseTemplate, templateFields } from '../src/rule/fillTemplate.js';

describe('fillTemplate', () => {
  it('substitutes $field$ placeholders as Splunk writes them, dotted names included', () => {
    expect(fillTemplate('Anomalous activity in kubernetes cluster $host$', { host: 'prod-1' })).toBe('Anomalous activity in kubernetes cluster prod-1');
    expect(fillTemplate('$source.workload.name$ -> $dest.workload.name$ ($count$)', { 'source.workload.name': 'api', 'dest.workload.name': 'db', count: 7 }))
      .toBe('api -> db (7)');
  });

  it('never evaluates: a value holding a placeholder, or code, is copied as it is', () => {
    expect(fillTemplate('in $host$', { host: '$host$ ${process.exit()} `rm -rf`' })).toBe('in $host$ ${process.exit()} `rm -rf`');
    expect(fillTemplate('$a$$b$', { a: '$b', b: 'x$' })).toBe('$bx$');
  });

  it('leaves text without placeholders alone and refuses a field with no value', () => {
    expect(fillTemplate('no placeholders here', {})).toBe('no placeholders here');
    expect(() => fillTemplate('in $host$', { cluster: 'x' })).toThrow('rules: template "in $host$" names $host$, which has no value here');
    expect(() => fillTemplate('in $toString$', {})).toThrow(TemplateError);
    expect(() => fillTemplate('in $host', { host: 'x' })).toThrow('rules: template "in $host" has a "$" at character 4 with no closing "$"');
  });

  it('lists the fields a template names, once each, in order', () => {
    expect(templateFields('$host$ and $count$, again $host$')).toEqual(['host', 'count']);
    expect(parseTemplate('a $b$ c')).toEqual([{ text: 'a ' }, { field: 'b' }, { text: ' c' }]);
  });

  it('names the character of an unclosed or malformed placeholder', () => {
    expect(() => templateFields('cost $5')).toThrow('has a "$" at character 6 with no closing "$" (placeholders are written $field$)');
    expect(() => templateFields('a $two words$ b')).toThrow('has a bad placeholder "$two words$" at character 3');
    expect(() => templateFields('$$')).toThrow('bad placeholder "$$" at character 1');
  });
});
