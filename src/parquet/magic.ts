/** "PAR1": the 4 bytes that open and close every unencrypted Parquet file. */
export const MAGIC: readonly number[] = [0x50, 0x41, 0x52, 0x31];
