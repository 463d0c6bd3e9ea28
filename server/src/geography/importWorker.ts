/**
 * Runs in a worker thread: parses and validates an import file, so a 50 MB file never blocks
 * the server's event loop. Receives the raw text; answers with the validation result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseLocationsCsv, validateGrids, validateLocations } from '@lianfang/geo';
import type { ImportRequest, ImportValidation } from './importTypes.ts';

function validate(req: ImportRequest): ImportValidation {
  const options = { crs: req.crs };
  if (req.kind === 'locations' && req.format === 'csv') return { kind: 'locations', result: parseLocationsCsv(req.text, options) };
  let input: unknown;
  try {
    input = JSON.parse(req.text);
  } catch (err) {
    return { kind: req.kind, result: { ok: false, errors: [{ index: -1, reason: `not valid JSON: ${(err as Error).message}` }] } } as ImportValidation;
  }
  return req.kind === 'grids' ? { kind: 'grids', result: validateGrids(input, options) } : { kind: 'locations', result: validateLocations(input, options) };
}

const request = (workerData as { request: ImportRequest }).request;
parentPort!.postMessage(validate(request));
