import type { Finding } from '../evaluate/finding.js';
import type { Format } from '../output/formats.js';
import { renderFindings } from '../output/renderFindings.js';
import { writeAtomic } from '../io/writeAtomic.js';
import { UsageError } from './parseOptions.js';

export async function emitFindings(findings: Finding[], format: Format, out: string | undefined): Promise<void> {
  if (format === 'parquet' && !out && process.stdout.isTTY) {
    throw new UsageError('--format parquet: binary output needs --out FILE or a redirected stdout');
  }
  const data = await renderFindings(findings, format);
  if (out) {
    await writeAtomic(out, data);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    process.stdout.write(data, (err) => (err ? reject(err) : resolve()));
  });
}
