/** Imported first by a worker file, so it is evaluated first: when its modules were read and linked. */
export const workerStart = performance.timeOrigin + performance.now();
