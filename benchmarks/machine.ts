import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, freemem, platform, release, totalmem } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryBytes: number;
  freeMemoryBytes: number;
  node: string;
  os: string;
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    // not Linux: fall back to what os.cpus() says
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function machineInfo(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpuModel: cpuModel(),
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}
