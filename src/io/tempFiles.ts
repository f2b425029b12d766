import { readdirSync, rmSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** Temporary files this thread has created and not yet renamed or removed. */
const inFlight = new Set<string>();
/** Folders whose worker threads write temporary files this thread cannot track. */
const swept = new Set<string>();
let counter = 0;

/** A hidden sibling named after the target, this process and thread, so a sweep removes only ours. */
export function tempSiblingOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${threadId}-${++counter}.tmp`);
}

export function trackTemp(path: string): void {
  inFlight.add(path);
}

export function untrackTemp(path: string): void {
  inFlight.delete(path);
}

export function tempFilesInFlight(): string[] {
  return [...inFlight];
}

/** Worker threads write under `dir` (the exporter's day folders): sweep it, one level deep, on exit. */
export function sweepTempFilesOnExit(dir: string): void {
  swept.add(dir);
}

function isOurs(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp') && name.includes(`.${process.pid}-`);
}

function sweep(dir: string, depth: number): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isFile() && isOurs(e.name)) rmSync(p, { force: true });
    else if (e.isDirectory() && depth > 0) sweep(p, depth - 1);
  }
}

/** Synchronous, for exit and signal handlers: removes every temporary file of this process it knows of. */
export function removeTempFilesSync(): void {
  for (const p of inFlight) {
    try {
      unlinkSync(p);
    } catch {
      // already renamed or removed
    }
  }
  inFlight.clear();
  for (const d of swept) sweep(d, 1);
}
