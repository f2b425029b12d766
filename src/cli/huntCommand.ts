import { loadSuppressions } from '../evaluate/suppressions.js';
import { compareFindings, type Finding } from '../evaluate/finding.js';
import { hunt } from '../pipeline/hunt.js';
import { openInputs, reportWarnings } from './inputs.js';
import { emitFindings } from './emit.js';
import { UsageError, isoOf, parseDuration, parseTime } from './parseOptions.js';
import { Progress, log } from './progress.js';
import { outputFormatOf, ruleParamsOf, workersOf, type RuleArgs } from './ruleOptions.js';

export interface HuntArgs extends RuleArgs {
  from: string;
  to: string;
  step: string;
  state?: string;
}

const MAX_DETECTION_TIMES = 100_000;

export async function huntCommand(a: HuntArgs): Promise<void> {
  const params = ruleParamsOf(a);
  const workers = workersOf(a.workers);
  const format = outputFormatOf(a);
  const fromMs = parseTime('from', a.from);
  const toMs = parseTime('to', a.to);
  const stepMs = parseDuration('step', a.step);
  if (toMs < fromMs) throw new UsageError(`--to (${a.to}) is before --from (${a.from})`);
  const count = Math.floor((toMs - fromMs) / stepMs) + 1;
  if (count > MAX_DETECTION_TIMES) throw new UsageError(`--step ${a.step} gives ${count} detection times from --from to --to; at most ${MAX_DETECTION_TIMES}`);
  const suppress = a.suppress ? await loadSuppressions(a.suppress) : undefined;
  const started = performance.now();
  const { pool, files } = await openInputs(a.data, params.metricPatterns, workers, a.quiet, 'hunt');
  const progress = new Progress(!a.quiet && process.stderr.isTTY === true);
  try {
    const r = await hunt({
      files, params, pool, suppress, fromMs, toMs, stepMs, stateDir: a.state,
      onProgress: (phase, d, t) => progress.update(phase, d, t),
      onWarning: (msg) => { progress.done(); log(a.quiet, `hunt: warning: ${msg}`); },
    });
    progress.done();
    reportWarnings(r.warnings, a.strict, a.quiet, 'hunt');
    const findings: Finding[] = r.findings.sort(compareFindings);
    await emitFindings(findings, format, a.out);
    const secs = ((performance.now() - started) / 1000).toFixed(2);
    log(a.quiet, `hunt: ${count} detection time${count === 1 ? '' : 's'} from ${isoOf(fromMs)} to ${isoOf(fromMs + (count - 1) * stepMs)}: ` +
      `${findings.length} finding${findings.length === 1 ? '' : 's'}; ${r.rowsRead} rows read${a.state ? ` (${r.daysFromState} days from --state)` : ''}${r.onePass ? ' in one pass' : ''}, ${workers} worker${workers === 1 ? '' : 's'}, ${secs} s`);
  } finally {
    progress.done();
    await pool.destroy();
  }
}
