import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { RecordBatchFileWriter, RecordBatchReader, type RecordBatch, type Schema } from 'apache-arrow';
import { recordBatch, recordsOfBatch, schemaOf, taskBatch, taskOfBatch, type PartialKind } from './partialColumns.js';
import { taskDigest, type EncodedTask } from './taskPartial.js';

export const PARTIAL_FORMAT = 'egress-anomaly.partial';
const HEADER_KEY = PARTIAL_FORMAT;
const VERSION = 1;
const MAGIC = 'ARROW1';

/**
 * What a shard's file says of itself (JSON in the Arrow schema's metadata): which plan it belongs
 * to, which shard of how many it is, and what it holds. `meta` is the pipeline's own description of
 * the plan (parameters, T); this layer only carries it, under the header's digest.
 */
export interface PartialHeader {
  format: typeof PARTIAL_FORMAT;
  version: typeof VERSION;
  kind: PartialKind;
  fingerprint: string;
  shard: number;
  shards: number;
  metrics: string[];
  /** kind tasks: the plan's indexes of the tasks stored, in the order stored */
  tasks: number[];
  /** kind records: how many records */
  records: number;
  meta: unknown;
  /** kind tasks: each task also holds its baseline sketches (--baseline-model robust); absent otherwise */
  sketches?: true;
  /** SHA-256 of this header's JSON without the digest */
  digest: string;
}

export type PartialHeaderFields = Omit<PartialHeader, 'format' | 'version' | 'digest'>;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

function sealed(fields: PartialHeaderFields): PartialHeader {
  const unsealed = { format: PARTIAL_FORMAT, version: VERSION, ...fields } as const;
  return { ...unsealed, digest: sha256(JSON.stringify(unsealed)) };
}

/**
 * Writes a shard file as an Arrow IPC file, one batch per task (or one batch of records), handing
 * the bytes to `sink` as they are produced so a shard never holds its whole file. The same header
 * and tasks give the same bytes: nothing in the file depends on when or where it was written.
 */
export class PartialFileWriter {
  private readonly writer = new RecordBatchFileWriter();
  private readonly schema: Schema;
  private readonly drained: Promise<unknown>;
  private failure: unknown;
  private written = 0;
  readonly header: PartialHeader;

  constructor(fields: PartialHeaderFields, sink: (chunk: Uint8Array) => Promise<void>) {
    this.header = sealed(fields);
    this.schema = schemaOf(fields.kind, new Map([[HEADER_KEY, JSON.stringify(this.header)]]), fields.sketches === true);
    this.drained = (async () => {
      for await (const chunk of this.writer) await sink(chunk);
    })().catch((e: unknown) => { this.failure = e; });
    this.writer.reset(undefined, this.schema);
  }

  addTask(e: EncodedTask): void {
    if (this.failure !== undefined) throw this.failure;
    const want = this.header.tasks[this.written];
    if (this.header.kind !== 'tasks' || e.task !== want) throw new Error(`state: partial file got task ${e.task}, expected ${want ?? 'none'}`);
    this.writer.write(taskBatch(this.schema, e, taskDigest(e)));
    this.written++;
  }

  addRecords(records: string[]): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.header.kind !== 'records' || this.written + records.length > this.header.records) throw new Error('state: partial file got more records than its header says');
    if (records.length > 0) this.writer.write(recordBatch(this.schema, records, records.map(sha256)));
    this.written += records.length;
  }

  async finish(): Promise<void> {
    const want = this.header.kind === 'tasks' ? this.header.tasks.length : this.header.records;
    if (this.written !== want) throw new Error(`state: partial file holds ${this.written} of the ${want} entries its header says`);
    this.writer.finish();
    await this.drained;
    if (this.failure !== undefined) throw this.failure;
  }

  abort(): void {
    this.writer.abort();
  }
}

function checkHeader(text: string | undefined): PartialHeader {
  if (text === undefined) throw new Error(`it is an Arrow file but not a shard partial (no ${HEADER_KEY} metadata)`);
  let h: PartialHeader;
  try {
    h = JSON.parse(text) as PartialHeader;
  } catch (cause) {
    throw new Error('its header is not valid JSON (corrupt)', { cause });
  }
  if (h?.format !== PARTIAL_FORMAT) throw new Error('it is not a shard partial');
  if (h.version !== VERSION) throw new Error(`it is format version ${String(h.version)}; this build reads version ${VERSION}`);
  const { digest, ...rest } = h;
  if (sha256(JSON.stringify(rest)) !== digest) throw new Error('its header does not match its digest (corrupt)');
  return h;
}

type Source = FileHandle | Uint8Array;

async function hasMagic(source: Source): Promise<boolean> {
  let head: Uint8Array;
  let tail: Uint8Array;
  if (source instanceof Uint8Array) {
    head = source.subarray(0, 6);
    tail = source.subarray(Math.max(0, source.length - 6));
  } else {
    const { size } = await source.stat();
    if (size < 12) return false;
    head = (await source.read(Buffer.alloc(6), 0, 6, 0)).buffer;
    tail = (await source.read(Buffer.alloc(6), 0, 6, size - 6)).buffer;
  }
  const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');
  return text(head) === MAGIC && text(tail) === MAGIC;
}

interface BatchSource {
  schema: Schema;
  [Symbol.asyncIterator](): AsyncIterator<RecordBatch>;
}

/** Reads a shard file one batch at a time, checking every digest; errors say what is wrong, not which file (the caller knows). */
export class PartialFileReader {
  private constructor(private readonly batches: BatchSource, readonly header: PartialHeader) {}

  static async open(source: Source): Promise<PartialFileReader> {
    if (!(await hasMagic(source))) throw new Error('it is not a complete Arrow IPC file (truncated?)');
    let reader: BatchSource;
    try {
      const r = await RecordBatchReader.from(source as FileHandle);
      await r.open();
      if (!r.isFile()) throw new Error('an Arrow stream, not a file');
      reader = r as unknown as BatchSource;
    } catch (cause) {
      throw new Error(`it cannot be read as Arrow IPC (${(cause as Error).message})`, { cause });
    }
    const header = checkHeader(reader.schema.metadata.get(HEADER_KEY));
    const want = schemaOf(header.kind, new Map(), header.sketches === true).fields.map((f) => `${f.name}:${String(f.type)}`).join();
    if (reader.schema.fields.map((f) => `${f.name}:${String(f.type)}`).join() !== want) throw new Error(`its columns are not those of a ${header.kind} partial`);
    return new PartialFileReader(reader, header);
  }

  /** The stored tasks in order; each is checked against its digest and the header's list. */
  async *tasks(): AsyncGenerator<EncodedTask> {
    if (this.header.kind !== 'tasks') throw new Error('it holds records, not tasks');
    let i = 0;
    for await (const batch of this.batches) {
      // a file of no batches reads back as one empty batch
      if (batch.numRows === 0) continue;
      const { task, digest } = taskOfBatch(batch);
      if (task.task !== this.header.tasks[i]) throw new Error(`its batch ${i} holds task ${task.task}, the header says ${this.header.tasks[i] ?? 'none'}`);
      if (taskDigest(task) !== digest) throw new Error(`task ${task.task} does not match its digest (corrupt)`);
      i++;
      yield task;
    }
    if (i !== this.header.tasks.length) throw new Error(`it holds ${i} of the ${this.header.tasks.length} tasks its header lists (truncated?)`);
  }

  async records(): Promise<string[]> {
    if (this.header.kind !== 'records') throw new Error('it holds tasks, not records');
    const out: string[] = [];
    for await (const batch of this.batches) {
      if (batch.numRows === 0) continue;
      const { records, digests } = recordsOfBatch(batch);
      for (let r = 0; r < records.length; r++) {
        if (sha256(records[r]) !== digests[r]) throw new Error(`record ${out.length + r} does not match its digest (corrupt)`);
      }
      out.push(...records);
    }
    if (out.length !== this.header.records) throw new Error(`it holds ${out.length} of the ${this.header.records} records its header says (truncated?)`);
    return out;
  }
}
