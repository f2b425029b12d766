import protobuf from 'protobufjs';
import { OTLP_METRICS_DESCRIPTOR } from './proto/otlpDescriptor.js';

const REQUEST = 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest';

let requestType: protobuf.Type | undefined;

/** The official ExportMetricsServiceRequest type, built once from the vendored descriptor. */
export function exportRequestType(): protobuf.Type {
  requestType ??= protobuf.Root.fromJSON(OTLP_METRICS_DESCRIPTOR as protobuf.INamespace).lookupType(REQUEST);
  return requestType;
}

/**
 * Decodes one request. Field names come out in lowerCamelCase, as in OTLP JSON; 64-bit integers
 * come out as Long objects and enums as numbers; a oneof member is an own property only when it
 * was on the wire.
 */
export function decodeExportRequest(bytes: Uint8Array): unknown {
  return exportRequestType().decode(bytes);
}
