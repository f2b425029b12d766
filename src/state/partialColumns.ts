import {
  Field, Float64, Int32, List, RecordBatch, Schema, Struct, Uint32, Utf8, makeData, vectorFromArray, type Data, type DataType,
} from 'apache-arrow';
import type { PackedSketches } from './packedSketches.js';
import type { EncodedTask } from './taskPartial.js';

/** A shard file's rows: one per scan task (kind tasks), or one per JSON record (kind records). */
const utf8List = new List(new Field('item', new Utf8(), false));
const int32List = new List(new Field('item', new Int32(), false));
const float64List = new List(new Field('item', new Float64(), false));
const uint32List = new List(new Field('item', new Uint32(), false));

const TASK_FIELDS = [
  new Field('task', new Int32(), false),
  new Field('path', new Utf8(), false),
  new Field('start', new Float64(), false),
  new Field('cell_origin', new Float64(), false),
  new Field('cell_count', new Int32(), false),
  new Field('first_bucket', new Float64(), false),
  new Field('bucket_count', new Int32(), false),
  new Field('workloads', utf8List, false),
  new Field('processes', utf8List, false),
  new Field('clusters', utf8List, false),
  new Field('series_cluster', int32List, false),
  new Field('series_key', int32List, false),
  new Field('baseline_rows', int32List, false),
  new Field('baseline', float64List, false),
  new Field('recent_rows', int32List, false),
  new Field('recent', float64List, false),
  new Field('stats', float64List, false),
  new Field('digest', new Utf8(), false),
];

/** After TASK_FIELDS in a partial of --baseline-model robust: the tasks' PackedSketches. */
const SKETCH_FIELDS = [
  new Field('sketch_lo', int32List, false),
  new Field('sketch_offsets', int32List, false),
  new Field('sketch_counts', uint32List, false),
  new Field('sketch_zeros', float64List, false),
];

const RECORD_FIELDS = [new Field('record', new Utf8(), false), new Field('digest', new Utf8(), false)];

export type PartialKind = 'tasks' | 'records';

export function schemaOf(kind: PartialKind, metadata: Map<string, string>, sketches = false): Schema {
  return new Schema(kind === 'tasks' ? (sketches ? [...TASK_FIELDS, ...SKETCH_FIELDS] : TASK_FIELDS) : RECORD_FIELDS, metadata);
}

const one = <T extends DataType>(type: T, data: Int32Array | Float64Array): Data => makeData({ type, length: 1, nullCount: 0, data } as never);
const strings = (values: string[]): Data => vectorFromArray(values, new Utf8()).data[0];
const list = (type: List, child: Data): Data =>
  makeData({ type, length: 1, nullCount: 0, valueOffsets: Int32Array.of(0, child.length), child });

const values = <T extends DataType>(type: T, a: Int32Array | Uint32Array | Float64Array): Data =>
  makeData({ type, length: a.length, nullCount: 0, data: a } as never);

function sketchChildren(p: PackedSketches): Data[] {
  return [
    list(int32List, values(new Int32(), p.lo)),
    list(int32List, values(new Int32(), p.offsets)),
    list(uint32List, values(new Uint32(), p.counts)),
    list(float64List, values(new Float64(), p.zeros)),
  ];
}

/** One task as a one-row batch, so a reader holds one task at a time. */
export function taskBatch(schema: Schema, e: EncodedTask, digest: string): RecordBatch {
  const sketched = schema.fields.length > TASK_FIELDS.length;
  if (sketched !== (e.sketches !== undefined)) throw new Error(`state: task ${e.task} ${sketched ? 'has no sketches for a partial that holds them' : 'has sketches for a partial without them'}`);
  const children = [
    one(new Int32(), Int32Array.of(e.task)),
    strings([e.path]),
    one(new Float64(), Float64Array.of(e.start)),
    one(new Float64(), Float64Array.of(e.cellOrigin)),
    one(new Int32(), Int32Array.of(e.cellCount)),
    one(new Float64(), Float64Array.of(e.firstBucket)),
    one(new Int32(), Int32Array.of(e.bucketCount)),
    list(utf8List, strings(e.workloads)),
    list(utf8List, strings(e.processes)),
    list(utf8List, strings(e.clusters)),
    ...[e.seriesCluster, e.seriesKey, e.baselineRows].map((a) => list(int32List, makeData({ type: new Int32(), length: a.length, nullCount: 0, data: a }))),
    list(float64List, makeData({ type: new Float64(), length: e.baseline.length, nullCount: 0, data: e.baseline })),
    list(int32List, makeData({ type: new Int32(), length: e.recentRows.length, nullCount: 0, data: e.recentRows })),
    ...[e.recent, e.stats].map((a) => list(float64List, makeData({ type: new Float64(), length: a.length, nullCount: 0, data: a }))),
    strings([digest]),
    ...(e.sketches ? sketchChildren(e.sketches) : []),
  ];
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 1, nullCount: 0, children }));
}

export function recordBatch(schema: Schema, records: string[], digests: string[]): RecordBatch {
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: records.length, nullCount: 0, children: [strings(records), strings(digests)] }));
}

function child(batch: RecordBatch, name: string): Data {
  const v = batch.getChild(name);
  if (!v || v.data.length !== 1) throw new Error(`column "${name}" is missing`);
  return v.data[0];
}

function scalar(batch: RecordBatch, name: string): number {
  const d = child(batch, name);
  return (d.values as Int32Array | Float64Array)[d.offset];
}

function listValues<T extends Int32Array | Uint32Array | Float64Array>(batch: RecordBatch, name: string): T {
  const d = child(batch, name);
  const from = d.valueOffsets[d.offset];
  const to = d.valueOffsets[d.offset + 1];
  const c = d.children[0];
  return (c.values as T).subarray(c.offset + from, c.offset + to) as T;
}

function stringList(batch: RecordBatch, name: string): string[] {
  const v = batch.getChild(name)?.get(0) as { toArray(): string[] } | null | undefined;
  if (!v) throw new Error(`column "${name}" is missing`);
  return Array.from(v.toArray());
}

/** A one-row task batch back as the task it stores, with the digest it was written with. */
export function taskOfBatch(batch: RecordBatch): { task: EncodedTask; digest: string } {
  if (batch.numRows !== 1) throw new Error(`a task batch holds ${batch.numRows} rows, expected 1`);
  const task: EncodedTask = {
    task: scalar(batch, 'task'),
    path: String(batch.getChild('path')?.get(0)),
    start: scalar(batch, 'start'),
    cellOrigin: scalar(batch, 'cell_origin'),
    cellCount: scalar(batch, 'cell_count'),
    firstBucket: scalar(batch, 'first_bucket'),
    bucketCount: scalar(batch, 'bucket_count'),
    workloads: stringList(batch, 'workloads'),
    processes: stringList(batch, 'processes'),
    clusters: stringList(batch, 'clusters'),
    seriesCluster: listValues<Int32Array>(batch, 'series_cluster'),
    seriesKey: listValues<Int32Array>(batch, 'series_key'),
    baselineRows: listValues<Int32Array>(batch, 'baseline_rows'),
    baseline: listValues<Float64Array>(batch, 'baseline'),
    recentRows: listValues<Int32Array>(batch, 'recent_rows'),
    recent: listValues<Float64Array>(batch, 'recent'),
    stats: listValues<Float64Array>(batch, 'stats'),
  };
  if (batch.schema.fields.length > TASK_FIELDS.length) {
    task.sketches = {
      lo: listValues<Int32Array>(batch, 'sketch_lo'),
      offsets: listValues<Int32Array>(batch, 'sketch_offsets'),
      counts: listValues<Uint32Array>(batch, 'sketch_counts'),
      zeros: listValues<Float64Array>(batch, 'sketch_zeros'),
    };
  }
  return { task, digest: String(batch.getChild('digest')?.get(0)) };
}

export function recordsOfBatch(batch: RecordBatch): { records: string[]; digests: string[] } {
  const r = batch.getChild('record');
  const d = batch.getChild('digest');
  if (!r || !d) throw new Error('column "record" or "digest" is missing');
  return { records: Array.from(r.toArray() as string[]), digests: Array.from(d.toArray() as string[]) };
}
