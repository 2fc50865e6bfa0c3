/**
 * The import's worker thread: reads one uploaded 调价项目表 (readUpload) off the API's event loop and exits. Started
 * by ImportRunner from the compiled server, one thread per upload, with a heap limit; the job comes as workerData.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readUpload, type UploadJob } from './scenarios.import';

readUpload(workerData as UploadJob).then(
  (outcome) => parentPort!.postMessage({ outcome }),
  (e: unknown) => parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) }),
);
