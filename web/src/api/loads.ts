/**
 * 数据管理: load batches, uploads of official files and their jobs, removal of a batch (GET /api/loads,
 * GET /api/loads/upload-settings, POST /api/loads/uploads, GET /api/loads/jobs/:id, POST /api/loads/jobs/:id/load,
 * DELETE /api/loads/:id), typed with the API's own schemas.
 */
import type { LoadBatch, RemoveResult, UploadIssue, UploadJob, UploadSettings, UploadSummary } from '../../../api/src/loads/loads.schemas';
import { ApiError, deleteJson, getJson, postJson, qs, sessionEnded, sessionHeaders, type ApiErrorBody } from './client';

export type { LoadBatch, RemoveResult, UploadIssue, UploadJob, UploadSettings, UploadSummary };

export const listBatches = (limit = 500): Promise<LoadBatch[]> => getJson<LoadBatch[]>(`/api/loads${qs({ limit })}`);

export const uploadSettings = (): Promise<UploadSettings> => getJson<UploadSettings>('/api/loads/upload-settings');

export interface UploadOptions {
  mode: 'dry-run' | 'load';
  kind: string;
  region: string;
  skipInvalid?: boolean;
  effectiveDate?: string | null;
}

/**
 * Sends the files (multipart, field files) and answers the job the API started. XMLHttpRequest rather than fetch, for
 * the progress of the sending itself (a large volume file takes a while): `onSent(bytes sent, bytes in all)`.
 */
export function uploadFiles(files: File[], o: UploadOptions, onSent?: (sent: number, total: number) => void): Promise<UploadJob> {
  const path = `/api/loads/uploads${qs({ mode: o.mode, kind: o.kind, region: o.region, skipInvalid: o.skipInvalid ? 'true' : undefined, effectiveDate: o.effectiveDate ?? undefined })}`;
  const form = new FormData();
  for (const f of files) form.append('files', f, f.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    for (const [k, v] of Object.entries(sessionHeaders('POST'))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onSent?.(e.loaded, e.lengthComputable ? e.total : 0);
    xhr.onerror = () => reject(new ApiError({ statusCode: 0, code: 'HTTP.UNREACHABLE', message: '无法连接服务器，上传未完成' }));
    xhr.onload = () => {
      sessionEnded(path, xhr.status);
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        return reject(new ApiError({ statusCode: xhr.status, code: 'HTTP.NOT_JSON', message: `服务器返回了非 JSON 内容 (HTTP ${xhr.status})` }));
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as UploadJob);
      const b = body as Partial<ApiErrorBody> | null;
      reject(new ApiError({ statusCode: xhr.status, code: b?.code ?? `HTTP.${xhr.status}`, message: b?.message ?? `上传失败 (HTTP ${xhr.status})`, details: b?.details }));
    };
    xhr.send(form);
  });
}

export const getJob = (id: string): Promise<UploadJob> => getJson<UploadJob>(`/api/loads/jobs/${encodeURIComponent(id)}`);

/** Loads the files of a finished dry run (not sent again). */
export const loadChecked = (id: string, skipInvalid: boolean): Promise<UploadJob> => postJson<UploadJob>(`/api/loads/jobs/${encodeURIComponent(id)}/load`, { skipInvalid });

export const removeBatch = (id: number): Promise<RemoveResult> => deleteJson<RemoveResult>(`/api/loads/${id}`);
