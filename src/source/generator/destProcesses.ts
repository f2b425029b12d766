/**
 * The process Network Explorer would name on the receiving side of each generated destination:
 * the server's own binary for in-cluster services, and for an external endpoint the name of the
 * service behind it (there is no process to see there).
 */
const DEST_PROCESSES: Record<string, string> = {
  postgres: 'postgres',
  redis: 'redis-server',
  'kube-dns': 'coredns',
  kafka: 'java',
  elasticsearch: 'java',
  memcached: 'memcached',
  mongodb: 'mongod',
  rabbitmq: 'beam.smp',
  loki: 'loki',
  'otel-collector': 'otelcol-contrib',
  influxdb: 'influxd',
  prometheus: 'prometheus',
  'upstream-dns': 'unbound',
  'vpc-resolver': 'route53-resolver',
  's3.amazonaws.com': 'amazon-s3',
  'sqs.us-east-1.amazonaws.com': 'amazon-sqs',
  'api.stripe.com': 'stripe-api',
  'smtp.sendgrid.net': 'sendgrid-smtp',
  'pool.supportxmr.com': 'monero-pool',
  'storage.googleapis.com': 'google-cloud-storage',
  'api.datadoghq.com': 'datadog-intake',
  'sentry.io': 'sentry-ingest',
  'logs.papertrailapp.com': 'papertrail',
  'hooks.slack.com': 'slack-webhooks',
  'registry.npmjs.org': 'npm-registry',
  'api.keygen.sh': 'keygen-api',
};

/**
 * dest.process.name for a dest.workload.name; `workloadProcess` gives a generated workload's
 * primary process, for destinations that are workloads of the fleet.
 */
export function destProcessOf(dest: string, workloadProcess: ReadonlyMap<string, string>): string {
  return DEST_PROCESSES[dest] ?? workloadProcess.get(dest) ?? dest;
}
