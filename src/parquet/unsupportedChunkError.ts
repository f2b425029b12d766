/**
 * Errors of the built-in column chunk decoder. UnsupportedChunkError means "valid Parquet this
 * decoder does not handle" (the caller can decode that chunk with parquet-wasm instead); any other
 * error from it means the bytes are wrong.
 */

/** Where a chunk comes from, for messages. */
export interface ChunkWhere {
  path: string;
  rowGroup: number;
}

export const chunkPlace = (where: ChunkWhere, column: string): string =>
  `${where.path} row group ${where.rowGroup} column "${column}"`;

export class UnsupportedChunkError extends Error {
  override readonly name = 'UnsupportedChunkError';
  constructor(where: ChunkWhere, column: string, readonly what: string) {
    super(`parquet: ${chunkPlace(where, column)}: ${what} is not supported by the built-in decoder`);
  }
}

/** A corrupt or inconsistent chunk: `parquet: <file> row group <n> column "<name>": <problem>`. */
export function corruptChunk(where: ChunkWhere, column: string, problem: string, cause?: unknown): Error {
  return new Error(`parquet: ${chunkPlace(where, column)}: ${problem}`, cause === undefined ? undefined : { cause });
}
