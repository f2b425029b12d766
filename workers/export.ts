import { exportDay, type ExportDayTask, type ExportDayResult } from '../src/export/exportDay.js';

export default function exportWorker(task: ExportDayTask): Promise<ExportDayResult> {
  return exportDay(task);
}
