/**
 * Fault cases, one per line: the command, its exit code, the line it must print, and what it must
 * leave on disk. `$DATA` is a complete exported dataset, `$DIR` the case's own empty folder.
 * Every case also checks that no temporary file is left anywhere under either; a case with
 * `existing` first writes that text to `$DIR/findings.json` and checks that it is still there
 * untouched; any other failing case checks that `$DIR` holds only what its fixture put there.
 */
import type { FixtureName } from './helpers/fixtures.js';

export interface FaultCase {
  /** the issue item it covers */
  item: number;
  name: string;
  args: string[];
  exit: 0 | 1 | 2;
  /** a failure's one line on stderr; for a success, one of its lines */
  message: RegExp;
  fixture?: FixtureName;
  existing?: string;
  env?: Record<string, string>;
  /** stdout and stderr are a terminal (run under script(1), whose stdout then carries both) */
  tty?: boolean;
  /** stdout opened on this file instead of a pipe, as `> FILE` does */
  stdoutTo?: string;
  /** skipped, saying why, when it cannot be true here */
  needs?: 'non-root' | 'script';
}

export const END = '2026-01-03T00:00:00Z';
const OLD = 'previous run\n';
const D = ['detect', '--data', '$DATA'];
const EXPORT = ['export', '--out', '$DIR/ds', '--days', '2', '--seed', '3', '--clusters', '2', '--workloads', '4', '--end', END, '--workers', '2'];

export const CASES: FaultCase[] = [
  { item: 1, name: '--out /dev/full fails with ENOSPC and leaves the device', args: [...D, '--out', '/dev/full'], exit: 1, message: /^egress-anomaly: output: cannot write \/dev\/full: ENOSPC \(no space left on device\)$/, fixture: 'devFull' },
  { item: 1, name: 'stdout redirected to /dev/full fails with ENOSPC', args: [...D, '--format', 'json'], stdoutTo: '/dev/full', exit: 1, message: /^egress-anomaly: output: cannot write stdout: ENOSPC \(no space left on device\)$/, fixture: 'devFull' },
  { item: 1, name: '--out /dev/null is written in place', args: [...D, '--out', '/dev/null', '--format', 'json'], exit: 0, message: /^detect: T=2026-01-03T00:00:00\.000Z: \d+ findings?;/, fixture: 'devNull' },
  { item: 1, name: '--out onto a FIFO writes into the pipe, which stays a FIFO', args: [...D, '--out', '$DIR/pipe', '--format', 'json'], exit: 0, message: /^detect: T=.*: \d+ findings?;/, fixture: 'fifo' },
  { item: 1, name: '--out onto a symlink replaces its target, not the link', args: [...D, '--out', '$DIR/link.json'], exit: 0, message: /^detect: T=.*: \d+ findings?;/, fixture: 'symlink' },
  { item: 1, name: '--out onto a dangling symlink creates its target', args: [...D, '--out', '$DIR/link.json'], exit: 0, message: /^detect: T=.*: \d+ findings?;/, fixture: 'danglingSymlink' },
  { item: 3, name: '--workers 1024 is capped at 4 per core, with a note', args: [...D, '--workers', '1024', '--out', '$DIR/findings.json'], exit: 0, message: /^detect: note: --workers 1024 is more than 4 per core \(\d+ cores? here\); using \d+$/, fixture: 'outWritten' },
  { item: 3, name: '--workers 0 is a usage error', args: [...D, '--workers', '0', '--out', '$DIR/findings.json'], exit: 2, message: /^egress-anomaly: --workers: expected an integer from 1 to 1024, got "0"$/, existing: OLD },
  { item: 3, name: '--workers abc is a usage error', args: [...D, '--workers', 'abc'], exit: 2, message: /^egress-anomaly: --workers: expected an integer from 1 to 1024, got "abc"$/ },
  { item: 4, name: '--out given twice', args: [...D, '--out', '$DIR/a.json', '--out', '$DIR/b.json'], exit: 2, message: /^egress-anomaly: --out: given 2 times \(.*\/a\.json, .*\/b\.json\); give it once$/ },
  { item: 4, name: '--format given twice', args: [...D, '--format', 'csv', '--format', 'json', '--out', '$DIR/findings.json'], exit: 2, message: /^egress-anomaly: --format: given 2 times \(csv, json\); give it once$/, existing: OLD },
  { item: 4, name: '--at given twice', args: [...D, '--at', END, '--at', '1767398400000'], exit: 2, message: /^egress-anomaly: --at: given 2 times \(2026-01-03T00:00:00Z, 1767398400000\); give it once$/ },
  { item: 4, name: 'hunt --from given twice', args: ['hunt', '--data', '$DATA', '--from', END, '--from', END, '--to', END], exit: 2, message: /^egress-anomaly: --from: given 2 times/ },
  { item: 4, name: '--out in a missing folder, before the data is read', args: ['detect', '--data', '$DIR/no-data', '--out', '$DIR/missing/findings.json'], exit: 2, message: /^egress-anomaly: detect: --out \S+\/missing\/findings\.json: folder \S+\/missing does not exist$/ },
  { item: 4, name: '--out in a folder that is a file', args: [...D, '--out', '$DIR/file.txt/findings.json'], exit: 2, message: /^egress-anomaly: detect: --out \S+: \S+\/file\.txt is not a folder$/, fixture: 'fileAsFolder' },
  { item: 4, name: '--out that is a folder', args: [...D, '--out', '$DIR'], exit: 2, message: /^egress-anomaly: detect: --out \S+: is a folder; name a file in it$/ },
  { item: 4, name: '--out in an unwritable folder', args: [...D, '--out', '$DIR/ro/findings.json'], exit: 2, message: /^egress-anomaly: detect: --out \S+: folder \S+\/ro is not writable \(EACCES/, fixture: 'readOnlyFolder', needs: 'non-root' },
  { item: 4, name: 'hunt --out in a missing folder', args: ['hunt', '--data', '$DATA', '--from', END, '--to', END, '--out', '$DIR/missing/f.json'], exit: 2, message: /^egress-anomaly: hunt: --out \S+: folder \S+\/missing does not exist$/ },
  { item: 4, name: '--format parquet to a terminal, before the data is read', args: ['detect', '--data', '$DIR/no-data', '--format', 'parquet'], exit: 2, message: /^egress-anomaly: detect: --format parquet: binary output needs --out FILE or a redirected stdout$/, tty: true, needs: 'script' },
  { item: 4, name: 'usage errors in English whatever LANG says', args: [...D, '--bogus'], exit: 2, message: /^egress-anomaly: unknown option --bogus \(see "egress-anomaly --help"\)$/, env: { LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8', LANGUAGE: 'de' } },
  { item: 4, name: 'a missing option in English whatever LANG says', args: ['detect'], exit: 2, message: /^egress-anomaly: missing required option --data \(see "egress-anomaly --help"\)$/, env: { LC_ALL: 'fr_FR.UTF-8' } },
  { item: 5, name: 'a 10 MB line that is not field=glob: named and cut short', args: [...D, '--suppress', '$DIR/huge.txt', '--out', '$DIR/findings.json'], exit: 1, message: /^egress-anomaly: suppress: \S+\/huge\.txt line 2: expected field=glob, got "x{80}…"$/, fixture: 'hugeSuppressLine', existing: OLD },
  { item: 5, name: 'a 10 MB glob full of regex syntax is data, not a regex', args: [...D, '--suppress', '$DIR/huge.txt', '--format', 'json'], exit: 0, message: /^detect: T=.*: \d+ findings?; .*; 0 suppressed$/, fixture: 'hugeSuppressGlob' },
  { item: 5, name: '__proto__=x in the line form is an unknown field', args: [...D, '--suppress', '$DIR/rules.txt', '--out', '$DIR/findings.json'], exit: 1, message: /^egress-anomaly: suppress: \S+\/rules\.txt line 1: unknown field "__proto__" \(expected host, workload, process, rule, reason or a key column such as dest\.workload\.name\)$/, fixture: 'protoLine', existing: OLD },
  { item: 5, name: '"__proto__" in the JSON form is an unknown field', args: [...D, '--suppress', '$DIR/rules.json'], exit: 1, message: /^egress-anomaly: suppress: \S+\/rules\.json entry 1: unknown field "__proto__"/, fixture: 'protoJson' },
  { item: 6, name: 'export into an interrupted export says it is incomplete', args: EXPORT, exit: 1, message: /^egress-anomaly: export: --out \S+\/ds holds an incomplete export \(no _export\.json: it was interrupted\); pass --force to replace it$/, fixture: 'incompleteExport' },
  { item: 6, name: 'export into a complete dataset asks for --force', args: EXPORT, exit: 1, message: /^egress-anomaly: export: --out \S+\/ds already holds a dataset \(.*\); pass --force to replace it$/, fixture: 'completeExport' },
  { item: 6, name: 'export --force replaces an interrupted export', args: [...EXPORT, '--force'], exit: 0, message: /^export: wrote \d+ rows .* to \S+\/ds in /, fixture: 'incompleteExportForced' },
];

/** A signal mid-run (an export writing its day files): the exit code, the line, no temporary file. */
export interface SignalCase {
  item: 2;
  signal: 'SIGINT' | 'SIGTERM';
  exit: 130 | 143;
  message: RegExp;
}

export const SIGNAL_CASES: SignalCase[] = [
  { item: 2, signal: 'SIGINT', exit: 130, message: /^egress-anomaly: interrupted by SIGINT; temporary files removed$/ },
  { item: 2, signal: 'SIGTERM', exit: 143, message: /^egress-anomaly: interrupted by SIGTERM; temporary files removed$/ },
];

/** How a planned file changes before a worker opens it (item 7); the worker refuses it either way. */
export const CHANGED_FILE_MESSAGE = (path: string) => `scan: ${path} changed while the run was reading it (size/mtime differ from the plan); run again`;
