/**
 * The container image and the Kubernetes manifests (Dockerfile, deploy/kubernetes/), checked
 * offline, with no cluster and no docker:
 *
 * - every object validates against the official Kubernetes OpenAPI schema of its kind, as the
 *   kubernetes-models package compiles it; since those schemas allow unknown fields (the API server
 *   rejects them), a misspelt field is caught by watching which fields the validator reads;
 * - the rules the API server checks beyond the schema (Indexed Jobs, pod failure policies, volume
 *   and object references) hold;
 * - the manifests do what the README says: an Indexed Job whose shards match --shards, a merge of
 *   its partials, a nightly CronJob with --state on a persistent volume, pods sized from the
 *   measured memory in benchmarks/RESULTS-memory.md, non-root with a read-only root filesystem;
 * - every option they pass is one the compiled CLI's --help lists.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { ROOT, runCli } from './helpers/cli.js';

/** Manifests are untyped YAML. */
type Obj = Record<string, any>;

const DEPLOY = join(ROOT, 'deploy', 'kubernetes');
const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** The kinds the manifests may hold: a model (whose validate() runs the official schema) and its schema module. */
const KINDS: Record<string, { model: new (data: any) => { validate(): void }; schema: string }> = {
  'batch/v1 Job': { model: Job, schema: 'IoK8sApiBatchV1Job' },
  'batch/v1 CronJob': { model: CronJob, schema: 'IoK8sApiBatchV1CronJob' },
  'v1 ConfigMap': { model: ConfigMap, schema: 'IoK8sApiCoreV1ConfigMap' },
  'v1 PersistentVolumeClaim': { model: PersistentVolumeClaim, schema: 'IoK8sApiCoreV1PersistentVolumeClaim' },
  'v1 Pod': { model: Pod, schema: 'IoK8sApiCoreV1Pod' },
  'v1 Secret': { model: Secret, schema: 'IoK8sApiCoreV1Secret' },
};
const kindOf = (o: Obj) => `${o.apiVersion} ${o.kind}`;

interface Manifest { file: string; text: string; objects: Obj[] }

function loadManifests(): Manifest[] {
  return readdirSync(DEPLOY).filter((f) => /\.ya?ml$/.test(f)).sort().map((file) => {
    const text = readFileSync(join(DEPLOY, file), 'utf8');
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs)) throw new Error(`${file}: not YAML documents`);
    const objects = docs.map((d, i) => {
      const problems = [...d.errors, ...d.warnings].map((e) => e.message);
      if (problems.length) throw new Error(`${file} document ${i}: ${problems.join('; ')}`);
      return d.toJS() as Obj;
    }).filter((o) => o !== null);
    return { file, text, objects };
  });
}

/**
 * Fields of `doc` the schema's validator never read: the compiled validators read every property
 * their schema defines (and every entry of a map), so a field left unread is one the schema does
 * not know, such as a misspelling, which the API server would reject.
 */
function unknownFields(doc: unknown, validate: (d: unknown) => boolean): string[] {
  const seen = new WeakMap<object, Set<PropertyKey>>();
  const proxies = new WeakMap<object, object>();
  const wrap = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    let p = proxies.get(v);
    if (!p) {
      const keys = new Set<PropertyKey>();
      seen.set(v, keys);
      p = new Proxy(v, {
        get: (t, k) => {
          keys.add(k);
          return wrap(Reflect.get(t, k));
        },
        has: (t, k) => {
          keys.add(k);
          return Reflect.has(t, k);
        },
      });
      proxies.set(v, p);
    }
    return p;
  };
  validate(wrap(doc));
  const unknown: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach((e, i) => walk(e, `${path}/${i}`));
      return;
    }
    const keys = seen.get(v);
    for (const [k, child] of Object.entries(v)) {
      if (!keys?.has(k)) unknown.push(`${path}/${k}`);
      else walk(child, `${path}/${k}`);
    }
  };
  walk(doc, '');
  return unknown;
}

async function schemaOf(o: Obj): Promise<(d: unknown) => boolean> {
  const k = KINDS[kindOf(o)];
  if (!k) throw new Error(`no schema for ${kindOf(o)}`);
  return ((await import(`kubernetes-models/_schemas/${k.schema}`)) as { validate: (d: unknown) => boolean }).validate;
}

/** A Kubernetes quantity (`2Gi`, `512Mi`, `500m`, `2`) as a number of units. */
function quantity(q: string | number): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T|m)?$/.exec(String(q));
  if (!m) throw new Error(`not a quantity: ${q}`);
  const mult: Record<string, number> = { Ki: 2 ** 10, Mi: MiB, Gi: GiB, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12, m: 1e-3 };
  return Number(m[1]) * (m[2] ? mult[m[2]] : 1);
}

/** The pod template of a Job, a CronJob's Job or a Pod, with the Job spec that runs it. */
interface PodOf { file: string; name: string; kind: string; jobSpec?: Obj; spec: Obj }
function podsOf(ms: Manifest[]): PodOf[] {
  const pods: PodOf[] = [];
  for (const m of ms) {
    for (const o of m.objects) {
      const name = o.metadata.name as string;
      if (o.kind === 'Job') pods.push({ file: m.file, name, kind: 'Job', jobSpec: o.spec, spec: o.spec.template.spec });
      if (o.kind === 'CronJob') pods.push({ file: m.file, name, kind: 'CronJob', jobSpec: o.spec.jobTemplate.spec, spec: o.spec.jobTemplate.spec.template.spec });
      if (o.kind === 'Pod') pods.push({ file: m.file, name, kind: 'Pod', spec: o.spec });
    }
  }
  return pods;
}

/** Splits one line of shell words: whitespace-separated, "double" and 'single' quotes removed. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let cur = '';
  let last = -1;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const part = m[1] ?? m[2] ?? m[3];
    if (m.index === last && words.length) cur = words.pop()! + part; // adjacent: one word
    else cur = part;
    words.push(cur);
    last = re.lastIndex;
  }
  return words;
}

/**
 * The egress-anomaly command line a container runs: its args when the image's ENTRYPOINT (the
 * CLI) runs, or the words after `main.js` in a `/bin/sh -c` script. Undefined for a container that
 * does not run the CLI.
 */
interface CliRun { file: string; container: string; argv: string[]; pod: PodOf; c: Obj; script?: string }
function cliRuns(ms: Manifest[]): CliRun[] {
  const runs: CliRun[] = [];
  for (const pod of podsOf(ms)) {
    for (const c of pod.spec.containers as Obj[]) {
      const base = { file: pod.file, container: c.name as string, pod, c };
      if (c.command === undefined) {
        runs.push({ ...base, argv: (c.args ?? []).map(String) });
      } else if (c.command.join(' ') === '/bin/sh -c') {
        const script = String(c.args[0]);
        const line = script.replace(/\\\n/g, ' ').split('\n').find((l) => /\bmain\.js\b/.test(l));
        if (!line) throw new Error(`${pod.file}: container ${c.name} runs a script that never starts the CLI`);
        const words = shellWords(line);
        runs.push({ ...base, argv: words.slice(words.findIndex((w) => w.endsWith('main.js')) + 1), script });
      } else if (c.command[0] !== 'sleep') {
        throw new Error(`${pod.file}: container ${c.name} runs ${c.command.join(' ')}, which this test does not know`);
      }
    }
  }
  return runs;
}

/** `--flag value` pairs of a command line (a flag followed by another flag has the value true). */
function optionsOf(argv: string[]): Map<string, string | true> {
  const opts = new Map<string, string | true>();
  for (let i = 1; i < argv.length; i++) {
    const w = argv[i];
    if (!w.startsWith('--')) continue;
    const eq = w.indexOf('=');
    if (eq > 0) opts.set(w.slice(0, eq), w.slice(eq + 1));
    else opts.set(w, argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[i + 1] : true);
  }
  return opts;
}

/** Peak RSS of each `hunt` row of benchmarks/RESULTS-memory.md, by --step. */
function measuredPeaks(): { step: string; range: string; bytes: number; text: string }[] {
  const md = readFileSync(join(ROOT, 'benchmarks', 'RESULTS-memory.md'), 'utf8');
  const rows: { step: string; range: string; bytes: number; text: string }[] = [];
  for (const m of md.matchAll(/^\|\s*(\d+ days?)\s*\|\s*(\w+)\s*\|[^|]*\|[^|]*\|\s*([\d.]+) (MiB|GiB)\s*\|/gm)) {
    rows.push({ range: m[1], step: m[2], bytes: Number(m[3]) * (m[4] === 'GiB' ? GiB : MiB), text: `${m[3]} ${m[4]}` });
  }
  return rows;
}

const manifests = loadManifests();
const objects = manifests.flatMap((m) => m.objects.map((o) => ({ file: m.file, o })));
const runs = cliRuns(manifests);
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function only<T>(xs: T[], what: string): T {
  if (xs.length !== 1) throw new Error(`expected exactly one ${what}, found ${xs.length}`);
  return xs[0];
}
const huntJob = () => only(objects.filter(({ o }) => o.kind === 'Job' && o.spec.completionMode === 'Indexed'), 'Indexed Job');
const runIn = (file: string) => only(runs.filter((r) => r.file === file), `CLI container in ${file}`);

describe('deploy/kubernetes: valid Kubernetes objects', () => {
  it('every file parses as YAML without errors or warnings, into objects with apiVersion, kind and name', () => {
    const files = manifests.map((m) => m.file);
    for (const f of ['hunt-indexed-job.yaml', 'merge-job.yaml', 'nightly-cronjob.yaml', 'state-pvc.yaml']) expect(files).toContain(f);
    for (const m of manifests) expect(m.objects.length, m.file).toBeGreaterThan(0);
    for (const { file, o } of objects) {
      expect(typeof o.apiVersion, file).toBe('string');
      expect(typeof o.kind, file).toBe('string');
      expect(o.metadata?.name, file).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/); // DNS-1123 label
    }
  });

  it('every object validates against the official schema of its kind', () => {
    for (const { file, o } of objects) {
      const k = KINDS[kindOf(o)];
      expect(k, `${file}: ${kindOf(o)} is not a kind this test validates`).toBeDefined();
      expect(() => new k.model(o).validate(), file).not.toThrow();
    }
  });

  it('no object has a field its schema does not define', async () => {
    for (const { file, o } of objects) {
      expect(unknownFields(o, await schemaOf(o)), `${file}: fields the API server would reject`).toEqual([]);
    }
  });

  it('the schema checks are live: a wrong type and a misspelt field are both caught', async () => {
    const { o } = huntJob();
    const wrongType = structuredClone(o);
    wrongType.spec.completions = 'twelve';
    expect(() => new Job(wrongType).validate()).toThrow(/completions must be integer/);
    const misspelt = structuredClone(o);
    misspelt.spec.backofLimitPerIndex = misspelt.spec.backoffLimitPerIndex;
    misspelt.spec.template.spec.containers[0].resourses = {};
    expect(unknownFields(misspelt, await schemaOf(o)).sort()).toEqual(['/spec/backofLimitPerIndex', '/spec/template/spec/containers/0/resourses']);
  });

  it('the rules the API server checks beyond the schema hold', () => {
    for (const pod of podsOf(manifests)) {
      const where = `${pod.file} ${pod.name}`;
      const volumes = new Set((pod.spec.volumes ?? []).map((v: Obj) => v.name));
      const containers = new Set(pod.spec.containers.map((c: Obj) => c.name));
      for (const c of pod.spec.containers as Obj[]) {
        for (const vm of c.volumeMounts ?? []) expect(volumes, `${where}: volumeMount ${vm.name}`).toContain(vm.name);
      }
      if (pod.kind === 'CronJob') expect(pod.name.length, `${where}: a CronJob name is at most 52 characters`).toBeLessThanOrEqual(52);
      const j = pod.jobSpec;
      if (!j) continue;
      expect(['Never', 'OnFailure'], `${where}: a Job's restartPolicy`).toContain(pod.spec.restartPolicy);
      if (j.podFailurePolicy) {
        expect(pod.spec.restartPolicy, `${where}: podFailurePolicy needs restartPolicy Never`).toBe('Never');
        for (const r of j.podFailurePolicy.rules as Obj[]) {
          if (r.onExitCodes?.containerName) expect(containers, `${where}: podFailurePolicy container`).toContain(r.onExitCodes.containerName);
          if (r.action === 'FailIndex') expect(j.backoffLimitPerIndex, `${where}: FailIndex needs backoffLimitPerIndex`).toBeTypeOf('number');
          expect(r.onExitCodes === undefined, `${where}: a rule has onExitCodes or onPodConditions, not both`).not.toBe(r.onPodConditions === undefined);
        }
      }
      if (j.completionMode === 'Indexed') expect(j.completions, `${where}: an Indexed Job needs completions`).toBeTypeOf('number');
      if (j.parallelism !== undefined && j.completions !== undefined) expect(j.parallelism, where).toBeLessThanOrEqual(j.completions);
      if (j.backoffLimitPerIndex !== undefined) {
        expect(j.completionMode, `${where}: backoffLimitPerIndex needs completionMode Indexed`).toBe('Indexed');
        expect(j.completions, where).toBeLessThanOrEqual(100_000);
      }
      if (j.maxFailedIndexes !== undefined) {
        expect(j.backoffLimitPerIndex, `${where}: maxFailedIndexes needs backoffLimitPerIndex`).toBeTypeOf('number');
        expect(j.maxFailedIndexes, where).toBeLessThanOrEqual(j.completions);
      }
    }
    const cron = only(objects.filter(({ o }) => o.kind === 'CronJob'), 'CronJob').o;
    expect(cron.spec.schedule.trim().split(/\s+/), 'a five-field cron schedule').toHaveLength(5);
  });

  it('every ConfigMap, Secret and PersistentVolumeClaim a pod refers to is among the manifests', () => {
    const defined = new Set(objects.map(({ o }) => `${o.kind}/${o.metadata.name}`));
    let refs = 0;
    for (const pod of podsOf(manifests)) {
      const need: string[] = [];
      for (const v of pod.spec.volumes ?? []) if (v.persistentVolumeClaim) need.push(`PersistentVolumeClaim/${v.persistentVolumeClaim.claimName}`);
      for (const c of pod.spec.containers as Obj[]) {
        for (const e of c.envFrom ?? []) {
          if (e.configMapRef) need.push(`ConfigMap/${e.configMapRef.name}`);
          if (e.secretRef) need.push(`Secret/${e.secretRef.name}`);
        }
        for (const e of c.env ?? []) {
          if (e.valueFrom?.secretKeyRef) need.push(`Secret/${e.valueFrom.secretKeyRef.name}`);
          if (e.valueFrom?.configMapKeyRef) need.push(`ConfigMap/${e.valueFrom.configMapKeyRef.name}`);
        }
      }
      for (const n of need) expect(defined, `${pod.file}: ${n}`).toContain(n);
      refs += need.length;
    }
    expect(refs).toBeGreaterThan(0);
  });
});

describe('deploy/kubernetes: what the README says they do', () => {
  it('the hunt is an Indexed Job of N shards, --shards N, retried per index, never restarted in place', () => {
    const { file, o } = huntJob();
    const s = o.spec;
    expect(s.completionMode).toBe('Indexed');
    expect(s.completions).toBeGreaterThanOrEqual(2);
    expect(s.parallelism).toBeGreaterThanOrEqual(1);
    expect(s.parallelism).toBeLessThanOrEqual(s.completions);
    expect(s.backoffLimitPerIndex).toBeGreaterThanOrEqual(1);
    expect(s.template.spec.restartPolicy).toBe('Never');
    const run = runIn(file);
    expect(run.argv[0]).toBe('hunt');
    const opts = optionsOf(run.argv);
    expect(opts.get('--shards'), '--shards is the number of indexes').toBe(String(s.completions));
    expect(opts.get('--partials')).toMatch(/^s3:\/\/[^/]+\/.+\/$/);
    expect(opts.get('--data')).toMatch(/^s3:\/\//);
    for (const o2 of ['--from', '--to', '--step']) expect(typeof opts.get(o2), o2).toBe('string');
    // the shard index is the one Kubernetes sets; nothing may override it
    for (const c of s.template.spec.containers as Obj[]) expect((c.env ?? []).map((e: Obj) => e.name)).not.toContain('JOB_COMPLETION_INDEX');
  });

  it('the merge Job reads exactly the partials the hunt writes, and writes its files onto the volume', () => {
    const hunt = optionsOf(runIn(huntJob().file).argv);
    const merge = runIn('merge-job.yaml');
    expect(merge.argv[0]).toBe('merge');
    const opts = optionsOf(merge.argv);
    expect(opts.get('--partials')).toBe(hunt.get('--partials'));
    expect(merge.pod.spec.restartPolicy).toBe('Never');
    for (const f of ['--out', '--report']) {
      const path = opts.get(f);
      expect(typeof path, f).toBe('string');
      expect(writablePvcMount(merge, path as string), `${f} ${String(path)} is on a writable persistent volume`).toBe(true);
    }
  });

  it('the nightly CronJob runs hunt with --state on a persistent volume, one run at a time', () => {
    const cron = only(objects.filter(({ o }) => o.kind === 'CronJob'), 'CronJob');
    expect(cron.o.spec.concurrencyPolicy).toBe('Forbid');
    expect(cron.o.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
    const run = runIn(cron.file);
    expect(run.argv[0]).toBe('hunt');
    const opts = optionsOf(run.argv);
    const state = opts.get('--state');
    expect(typeof state).toBe('string');
    expect(writablePvcMount(run, state as string), `--state ${String(state)} is on a writable persistent volume`).toBe(true);
    expect(writablePvcMount(run, opts.get('--out') as string), '--out is on a writable persistent volume').toBe(true);
    expect(opts.get('--data')).toMatch(/^s3:\/\//);
    // the script is valid sh (the image's /bin/sh), and the CLI it starts is the image's entry point
    const sh = spawnSync('sh', ['-n', '-c', run.script!], { encoding: 'utf8' });
    expect(sh.status, sh.stderr).toBe(0);
    expect(run.script).toMatch(new RegExp(`exec ${entrypoint().join(' ').replace(/[.]/g, '\\.')} hunt`));
  });

  it('pods are sized from the measured memory (benchmarks/RESULTS-memory.md), and the figures are cited', () => {
    const peaks = measuredPeaks();
    const hourly = peaks.filter((p) => p.step === '1h');
    expect(hourly.length, 'the --step 1h rows of RESULTS-memory.md').toBeGreaterThanOrEqual(3);
    const peak = hourly.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const results = readFileSync(join(ROOT, 'benchmarks', 'RESULTS-memory.md'), 'utf8');
    const measuredWorkers = /--workers (\d+)/.exec(results)?.[1];
    expect(measuredWorkers).toBeDefined();
    const hunts = runs.filter((r) => r.argv[0] === 'hunt');
    expect(hunts.length).toBeGreaterThanOrEqual(2);
    for (const r of hunts) {
      const where = `${r.file} ${r.container}`;
      expect(optionsOf(r.argv).get('--step'), `${where}: the sizing holds for --step 1h`).toBe('1h');
      const req = quantity(r.c.resources.requests.memory);
      const lim = quantity(r.c.resources.limits.memory);
      expect(req, `${where}: the request covers the measured peak (${peak.text})`).toBeGreaterThanOrEqual(peak.bytes);
      expect(lim, `${where}: the limit leaves room above the measured peak`).toBeGreaterThanOrEqual(2 * peak.bytes);
      expect(lim, `${where}: a shard fits in a 2 GiB pod`).toBeLessThanOrEqual(2 * GiB);
      // measured with this many workers; the CLI's default would count the node's cores
      const workers = optionsOf(r.argv).get('--workers');
      expect(workers, `${where}: --workers as measured`).toBe(measuredWorkers);
      expect(quantity(r.c.resources.requests.cpu), `${where}: one requested core per worker`).toBe(Number(workers));
    }
    const readme = readmeSection();
    for (const p of hourly) {
      expect(manifests.find((m) => m.file === huntJob().file)!.text, `hunt manifest cites ${p.text}`).toContain(p.text.split(' ')[0]);
      expect(readme, `README cites ${p.text}`).toContain(p.text.split(' ')[0]);
    }
    expect(readme).toContain('RESULTS-memory.md');
  });

  it('every pod runs as non-root, without privilege escalation, on a read-only root filesystem with /tmp writable', () => {
    const pods = podsOf(manifests);
    expect(pods.length).toBeGreaterThanOrEqual(3);
    for (const pod of pods) {
      const where = `${pod.file} ${pod.name}`;
      const sc = pod.spec.securityContext ?? {};
      expect(sc.runAsNonRoot, where).toBe(true);
      expect(sc.runAsUser, where).toBeGreaterThan(0);
      expect(pod.spec.automountServiceAccountToken, `${where}: no API token in the pod`).toBe(false);
      for (const c of pod.spec.containers as Obj[]) {
        expect(c.securityContext?.allowPrivilegeEscalation, where).toBe(false);
        expect(c.securityContext?.readOnlyRootFilesystem, where).toBe(true);
        expect(c.securityContext?.capabilities?.drop, where).toContain('ALL');
        const tmp = (c.volumeMounts ?? []).find((vm: Obj) => vm.mountPath === '/tmp');
        expect(tmp, `${where}: /tmp is mounted`).toBeDefined();
        expect(pod.spec.volumes.find((v: Obj) => v.name === tmp.name)?.emptyDir, `${where}: /tmp is an emptyDir`).toBeDefined();
        expect(c.resources?.limits?.memory, `${where}: a memory limit`).toBeDefined();
      }
    }
  });

  it('placeholders are marked, the image tag is the package version, and the example Secrets hold no credentials', () => {
    for (const pod of podsOf(manifests)) {
      for (const c of pod.spec.containers as Obj[]) expect(c.image, pod.file).toBe(`registry.example.com/egress-anomaly:${version}`);
    }
    for (const m of manifests) {
      const header = m.text.split('\n').filter((l) => l.startsWith('#')).join('\n');
      if (m.text.includes('s3://BUCKET/')) expect(header, `${m.file}: its header names the bucket placeholder`).toMatch(/PLACEHOLDERS?:[^]*\bBUCKET\b/);
      for (const line of m.text.split('\n')) {
        if (/^\s*(?:-\s+)?image:/.test(line)) expect(line, m.file).toMatch(/ # PLACEHOLDER$/);
      }
    }
    // no real bucket: every S3 URL passed to the CLI is under the placeholder
    for (const r of runs) {
      for (const w of r.argv) if (w.startsWith('s3://')) expect(w, r.file).toMatch(/^s3:\/\/BUCKET\//);
    }
    const secrets = objects.filter(({ o }) => o.kind === 'Secret');
    expect(secrets.length).toBeGreaterThan(0);
    for (const { file, o } of secrets) {
      expect(file, 'a Secret lives in an .example.yaml file').toMatch(/\.example\.yaml$/);
      expect(o.data, `${file}: no base64 data`).toBeUndefined();
      for (const [k, v] of Object.entries(o.stringData ?? {})) expect(v, `${file}: ${k}`).toBe('REPLACE_ME');
    }
    for (const pod of podsOf(manifests)) {
      for (const c of pod.spec.containers as Obj[]) {
        for (const e of c.env ?? []) {
          if (/KEY|SECRET|TOKEN|PASSWORD/.test(e.name)) expect(e.value, `${pod.file}: ${e.name} from a Secret, never inline`).toBeUndefined();
        }
      }
    }
  });
});

/** Whether `path` lies under a read-write mount of a PersistentVolumeClaim in the run's container. */
function writablePvcMount(run: CliRun, path: string): boolean {
  return (run.c.volumeMounts ?? []).some((vm: Obj) => {
    const v = run.pod.spec.volumes.find((x: Obj) => x.name === vm.name);
    return v?.persistentVolumeClaim && !vm.readOnly && (path === vm.mountPath || path.startsWith(`${vm.mountPath}/`));
  });
}

const dockerfile = () => readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
/** The exec-form ENTRYPOINT of the Dockerfile's last stage. */
function entrypoint(): string[] {
  const m = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile());
  if (!m) throw new Error('Dockerfile: no exec-form ENTRYPOINT');
  return JSON.parse(m[1]) as string[];
}

function readmeSection(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## On Kubernetes');
  if (start < 0) throw new Error('README.md: no "## On Kubernetes" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

describe('the CLI accepts what the manifests pass', () => {
  /** `egress-anomaly CMD --help`: the options it lists, or undefined when CMD is not a command. */
  const helpOf = new Map<string, Set<string> | undefined>();
  beforeAll(() => {
    for (const cmd of new Set(runs.map((r) => r.argv[0]))) {
      const r = runCli([cmd, '--help']);
      if (r.status !== 0) throw new Error(`egress-anomaly ${cmd} --help exited ${r.status}: ${r.stderr}`);
      // an unknown command prints the top-level help, whose first line is the generic usage
      const own = r.stdout.split('\n')[0].trim() === `egress-anomaly ${cmd}`;
      helpOf.set(cmd, own ? new Set([...r.stdout.matchAll(/^\s+(?:-\w, )?(--[a-z0-9-]+)/gm)].map((m) => m[1])) : undefined);
    }
  });

  it('every command and option in the manifests is in the command\'s --help', () => {
    let checked = 0;
    for (const r of runs) {
      const cmd = r.argv[0];
      const flags = helpOf.get(cmd);
      expect(flags, `${r.file}: egress-anomaly ${cmd} is a command`).toBeDefined();
      for (const w of r.argv.slice(1).filter((a) => a.startsWith('--'))) {
        const flag = w.split('=')[0];
        expect(flags, `${r.file}: egress-anomaly ${cmd} ${flag}`).toContain(flag);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });
});

describe('Dockerfile (a text check, no docker needed)', () => {
  const text = dockerfile();
  const stages = text.split(/^FROM\s+/m).slice(1);
  const runtime = stages[stages.length - 1] ?? '';

  it('builds in a stage of its own and runs on node:20-slim with production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runtime.split('\n')[0].trim()).toBe('node:20-slim');
    expect(stages[0]).toMatch(/^RUN npm ci\b/m);
    expect(stages[0]).toMatch(/^RUN npm run build\b/m);
    expect(runtime).toMatch(/^RUN npm ci --omit=dev --ignore-scripts\b/m);
    // the built CLI and workers: what package.json publishes
    const files = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] }).files.filter((f) => f.startsWith('dist/'));
    for (const f of files) expect(runtime).toMatch(new RegExp(`^COPY --from=\\S+ /app/${f}/? ${f}/?$`, 'm'));
  });

  it('no production dependency has an install script, which the runtime stage\'s --ignore-scripts would skip', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }> };
    const prod = Object.entries(lock.packages).filter(([k, p]) => k !== '' && !p.dev);
    expect(prod.length).toBeGreaterThan(0);
    expect(prod.filter(([, p]) => p.hasInstallScript).map(([k]) => k)).toEqual([]);
  });

  it('runs as a non-root USER, with the built CLI as its ENTRYPOINT', () => {
    const users = [...runtime.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1].split(':')[0];
    expect(['root', '0']).not.toContain(user);
    const bin = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['egress-anomaly'];
    expect(entrypoint()).toEqual(['node', `/app/${bin}`]);
    expect(runtime).toMatch(/^WORKDIR \/app$/m);
  });

  it('.dockerignore keeps local installs, builds and data out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const p of ['node_modules', 'dist', 'data', '.git']) expect(ignored).toContain(p);
  });
});

describe('README: On Kubernetes', () => {
  it('names every manifest and the steps in order: image, secret, hunt, merge, nightly', () => {
    const s = readmeSection();
    for (const m of manifests) expect(s, m.file).toContain(m.file);
    const order = ['docker build', 'kubectl create secret', 'hunt-indexed-job.yaml', 'kubectl wait', 'merge-job.yaml', 'nightly-cronjob.yaml'].map((w) => s.indexOf(w));
    for (const i of order) expect(i).toBeGreaterThanOrEqual(0);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
