/** Validates an import in a worker thread and resolves with its result. */
import { Worker } from 'node:worker_threads';
import type { ImportRequest, ImportValidation } from './importTypes.ts';

const BOOT = new URL('./workerBoot.mjs', import.meta.url);
const ENTRY = new URL('./importWorker.ts', import.meta.url).href;

export function validateInWorker(request: ImportRequest, timeoutMs = 300_000): Promise<ImportValidation> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY, request }, resourceLimits: { maxOldGenerationSizeMb: 4096 } });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`validation took longer than ${timeoutMs / 1000} s`));
    }, timeoutMs);
    worker.once('message', (result: ImportValidation) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
