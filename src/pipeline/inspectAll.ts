import { findParquetFiles } from '../io/findParquetFiles.js';
import { inspectFile, type FileInfo, type InspectOptions } from '../plan/inspectFile.js';

/** Finds and reads the footers of every input file, a few at a time. */
export async function inspectAll(data: string, metricPatterns: string[], options: InspectOptions = {}): Promise<FileInfo[]> {
  const paths = await findParquetFiles(data);
  const out: FileInfo[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      out[i] = await inspectFile(paths[i], metricPatterns, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, paths.length) }, worker));
  return out;
}
