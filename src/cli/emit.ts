import type { Finding } from '../evaluate/finding.js';
import type { Format } from '../output/formats.js';
import type { ReportInput } from '../output/htmlReport.js';
import { renderFindings, type RenderOptions } from '../output/renderFindings.js';
import { writeAtomic } from '../io/writeAtomic.js';
import type { Delivery } from './deliveryOptions.js';
import { log } from './progress.js';

/** Writes the findings; --out and --format were checked by validateOutput before the scan. */
export async function emitFindings(findings: Finding[], format: Format, out: string | undefined, options: RenderOptions = {}): Promise<void> {
  const data = await renderFindings(findings, format, options);
  if (out) {
    await writeAtomic(out, data);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    process.stdout.write(data, (err) => (err ? reject(err) : resolve()));
  });
}

/** --report and --hec-url, after the findings are out; their modules load only when asked for. */
export async function deliverFindings(findings: Finding[], d: Delivery, report: () => ReportInput, quiet: boolean, cmd: string): Promise<void> {
  if (d.report) {
    await (await import('../output/htmlReport.js')).writeHtmlReport(d.report, report());
    log(quiet, `${cmd}: report written to ${d.report}`);
  }
  if (d.hec) {
    const { postToHec } = await import('../output/hecPost.js');
    const { hecEvent } = await import('../output/hecEvents.js');
    const { displayUrl } = await import('../output/hecEndpoint.js');
    const r = await postToHec(findings.map((f) => hecEvent(f, d.hecEvent)), d.hec, { onNote: (m) => log(quiet, `${cmd}: ${m}`) });
    log(quiet, `${cmd}: ${r.events} event${r.events === 1 ? '' : 's'} posted to ${displayUrl(d.hec.endpoint.event)} in ${r.requests} request${r.requests === 1 ? '' : 's'}` +
      (r.acknowledged === true ? ', indexing acknowledged' : ''));
  }
}
