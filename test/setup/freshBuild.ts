import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Workers and the CLI run from dist/, so a test run against sources newer than their build would
 * test old code. Before any test: rebuild when some source is newer than its compiled file.
 */
function staleSource(root: string): string | undefined {
  for (const dir of ['src', 'workers', 'benchmarks']) {
    const walk = (d: string): string | undefined => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) {
          const s = walk(p);
          if (s) return s;
        } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
          const out = join(root, 'dist', relative(root, p).replace(/\.ts$/, '.js'));
          let built = 0;
          try {
            built = statSync(out).mtimeMs;
          } catch {
            return p;
          }
          if (statSync(p).mtimeMs > built) return p;
        }
      }
      return undefined;
    };
    const s = walk(join(root, dir));
    if (s) return relative(root, s);
  }
  return undefined;
}

export default function setup(): void {
  const root = process.cwd();
  const stale = staleSource(root);
  if (!stale) return;
  process.stderr.write(`test: dist/ is older than ${stale}; building first (npm run build)\n`);
  try {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  } catch (cause) {
    throw new Error('test: the build failed, so the tests would run stale workers from dist/; fix the build first', { cause });
  }
}
