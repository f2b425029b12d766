import { findParquetFiles } from './findParquetFiles.js';
import { isHttpUrl, isS3Url, locationProblem } from './objectUrl.js';
import type { InputStat } from './openInput.js';

export interface InputEntry {
  path: string;
  /** known from the listing (S3), so opening the object needs no HEAD */
  stat?: InputStat;
}

/**
 * The Parquet inputs `--data` names: a local file or folder (findParquetFiles), an S3 object or
 * prefix (listS3Parquet), or one file over HTTP(S). The S3 listing loads the AWS SDK, so only then.
 */
export async function findInputs(data: string): Promise<InputEntry[]> {
  const problem = locationProblem(data);
  if (problem) throw new Error(`plan: --data ${data} ${problem}`);
  if (isS3Url(data)) return (await import('./listS3Objects.js')).listS3Parquet(data);
  if (isHttpUrl(data)) return [{ path: data }];
  return (await findParquetFiles(data)).map((path) => ({ path }));
}
