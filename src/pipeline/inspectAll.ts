import { findInputs } from '../io/findInputs.js';
import { inspectFile, type FileInfo, type InspectOptions } from '../plan/inspectFile.js';

/** Finds and reads the footers of every input file, a few at a time. */
export async function inspectAll(data: string, metricPatterns: string[], options: InspectOptions = {}): Promise<FileInfo[]> {
  const inputs = await findInputs(data);
  const out: FileInfo[] = new Array(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const i = next++;
      out[i] = await inspectFile(inputs[i].path, metricPatterns, options, inputs[i].stat);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, inputs.length) }, worker));
  return out;
}
