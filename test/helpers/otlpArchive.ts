/**
 * OTLP test inputs made with the official OpenTelemetry JS packages: the SDK's data model
 * (ResourceMetrics) shaped like Network Explorer's reducer output (one point per Metric, delta
 * monotonic Sums every 30 s, ints, the cluster as a resource attribute) and the otlp-transformer's
 * JSON and protobuf serializers. Then framed as the Collector's file exporter writes them.
 */
import { gzipSync } from 'node:zlib';
import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality, DataPointType, type MetricData, type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { METRIC_NAMES, type DayRows, type GeneratedNames } from '../../src/source/generator/generatorTypes.js';

export interface NpmPoint {
  cluster: string;
  attributes: Attributes;
  metric: string;
  /** epoch ms of timeUnixNano */
  ts: number;
  value: number;
  temporality?: AggregationTemporality;
  /** cumulative points: the series' start time, epoch ms */
  startMs?: number;
  valueType?: ValueType;
  gauge?: boolean;
}

const hr = (ms: number): HrTime => [Math.floor(ms / 1000), (ms % 1000) * 1e6];

function metricOf(p: NpmPoint): MetricData {
  const temporality = p.temporality ?? AggregationTemporality.DELTA;
  const startMs = temporality === AggregationTemporality.CUMULATIVE ? p.startMs ?? 0 : p.ts - 30_000;
  const base = {
    descriptor: { name: p.metric, description: '', unit: p.metric.endsWith('.bytes') ? 'By' : '1', valueType: p.valueType ?? ValueType.INT },
    aggregationTemporality: temporality,
    dataPoints: [{ startTime: hr(startMs), endTime: hr(p.ts), attributes: p.attributes, value: p.value }],
  };
  return p.gauge ? { ...base, dataPointType: DataPointType.GAUGE } : { ...base, dataPointType: DataPointType.SUM, isMonotonic: true };
}

/** One ResourceMetrics per cluster, in first-seen order, one Metric object per point. */
export function resourceMetricsOf(points: NpmPoint[]): ResourceMetrics[] {
  const byCluster = new Map<string, MetricData[]>();
  for (const p of points) {
    let list = byCluster.get(p.cluster);
    if (!list) byCluster.set(p.cluster, (list = []));
    list.push(metricOf(p));
  }
  return [...byCluster].map(([cluster, metrics]) => ({
    resource: resourceFromAttributes({ 'k8s.cluster.name': cluster, 'service.name': 'opentelemetry-ebpf-reducer' }),
    scopeMetrics: [{ scope: { name: 'ebpf-net' }, metrics }],
  }));
}

/** The JSON serializer's request, with int64s as the Collector (pdata) writes them: decimal strings. */
export function jsonRequest(rm: ResourceMetrics): string {
  const obj = JSON.parse(Buffer.from(JsonMetricsSerializer.serializeRequest(rm)!).toString('utf8')) as unknown;
  return JSON.stringify(obj, (k, v: unknown) => (k === 'asInt' && typeof v === 'number' ? String(v) : v));
}

export function protoRequest(rm: ResourceMetrics): Uint8Array {
  return ProtobufMetricsSerializer.serializeRequest(rm)!;
}

/** The file exporter's length-prefixed framing: a 4-byte big-endian length before each message. */
export function lengthPrefixed(messages: Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of messages) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(m.length);
    parts.push(len, Buffer.from(m));
  }
  return Buffer.concat(parts);
}

export function jsonLines(requests: string[]): Buffer {
  return Buffer.from(requests.map((r) => `${r}\n`).join(''));
}

export { gzipSync };

/**
 * Generator rows as Network Explorer would report them: per row and metric one delta point at the
 * row's timestamp, dimensions as point attributes (aggregation az_az), the cluster on the resource.
 * `otherAggregation` adds, for every point, a twin with aggregation id_az that must be dropped.
 */
export function pointsFromRows(rows: DayRows, names: GeneratedNames, from: number, otherAggregation = false): NpmPoint[] {
  const out: NpmPoint[] = [];
  for (let i = 0; i < rows.length; i++) {
    const ts = rows.timestamp[i];
    if (ts < from) continue;
    const attributes = {
      'source.workload.name': names.workloads[rows.workload[i]],
      'source.process.name': names.processes[rows.process[i]],
      'dest.workload.name': names.dests[rows.dest[i]],
      'source.namespace.name': 'default',
      aggregation: 'az_az',
    };
    const cluster = names.clusters[rows.cluster[i]];
    METRIC_NAMES.forEach((metric, j) => {
      const value = rows.metrics[j][i];
      if (Number.isNaN(value)) return;
      out.push({ cluster, attributes, metric, ts, value });
      if (otherAggregation) out.push({ cluster, attributes: { ...attributes, aggregation: 'id_az' }, metric, ts, value: value * 7 + 1 });
    });
  }
  return out;
}

/** Splits points into requests of about `perRequest` points each (one per cluster). */
export function batches(points: NpmPoint[], perRequest: number): ResourceMetrics[] {
  const out: ResourceMetrics[] = [];
  for (let i = 0; i < points.length; i += perRequest) out.push(...resourceMetricsOf(points.slice(i, i + perRequest)));
  return out;
}

/**
 * A valid zstd frame (RFC 8878) of raw, uncompressed blocks: Node 20 has no zstd compressor, and
 * the decoder must read any conforming frame. Tests that find a `zstd` binary also use real ones.
 */
export function zstdRawFrame(data: Uint8Array): Buffer {
  const BLOCK = 128 * 1024;
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x50])]; // magic; no content size; 1 MiB window
  if (data.length === 0) parts.push(Buffer.from([0x01, 0x00, 0x00]));
  for (let at = 0; at < data.length; at += BLOCK) {
    const size = Math.min(BLOCK, data.length - at);
    const last = at + size >= data.length ? 1 : 0;
    const h = (size << 3) | last; // block type 0: raw
    parts.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]), Buffer.from(data.subarray(at, at + size)));
  }
  return Buffer.concat(parts);
}
