import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { KIND_LABEL, KINDS, type Kind } from '../../../etl/src/loader';
import { LOAD_PHASES, type LoadPhase } from '../../../etl/src/phases';
import { removeBatch, RemoveError } from '../../../etl/src/remove';
import { loadFile, type LoadSummary } from '../../../etl/src/run';
import { assertRegion, currentAccess, currentRequestId, type Access } from '../auth/access';
import { AppError, ConflictError, NotFoundError } from '../common/errors';
import { CONFIG, LOGGER } from '../common/tokens';
import type { AppConfig } from '../config/config';
import { LoadsRepository } from './loads.repository';
import type { LoadChecked, LoadBatch, RemoveResult, UploadJob, UploadQuery, UploadSettings, UploadSummary } from './loads.schemas';
import { receiveFiles, UPLOAD_TYPES, type ReceivedFile } from './loads.uploads';

/** Kinds of national files (no region in their rows): loaded by users of every region only. */
const NATIONAL_KINDS: readonly Kind[] = ['catalogue', 'guideline', 'mapping'];
/** How long the files of a dry run wait to be loaded, and a finished job stays readable. */
const KEEP_MS = 60 * 60 * 1000;

interface JobFile extends ReceivedFile {
  /** the region a dry run found as the file's only one, given to its load (the batch's region) when none was chosen */
  region?: string | null;
  status: 'waiting' | 'running' | 'done';
  rowsRead: number;
  totalRows: number | null;
  startedAt: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
  /** the phase the load is in (etl/src/phases.ts) and when it began; null before the load and after it */
  phase: { code: LoadPhase; startedAt: number } | null;
  /** the phases passed, in order, with their time */
  phases: { code: LoadPhase; seconds: number }[];
  summary: UploadSummary | null;
}

interface Job {
  id: string;
  userId: number;
  username: string;
  /** the request that started the job: its loads' audit records carry it */
  requestId: string | null;
  regions: readonly string[] | null;
  dir: string;
  mode: 'dry-run' | 'load';
  status: 'queued' | 'running' | 'done' | 'failed';
  kind: Kind | 'auto';
  region: string | null;
  skipInvalid: boolean;
  effectiveDate?: string;
  maxErrors: number;
  createdAt: Date;
  startedAt: number;
  finishedAt: Date | null;
  files: JobFile[];
  /** the files are still on disk (a dry run not loaded yet) */
  kept: boolean;
  error: string | null;
  timer?: NodeJS.Timeout;
}

/**
 * Uploads of official files (the 数据管理 page): the files are streamed to disk, then checked (a dry run) or loaded by
 * the ETL's own `loadFile`, one file after another and one job at a time, as a job whose progress is polled. The files
 * of a dry run are kept for an hour so that the same files can be loaded without sending them again.
 */
@Injectable()
export class LoadsService implements OnModuleDestroy {
  private readonly jobs = new Map<string, Job>();
  /** jobs run one after another: a load holds a connection and a core for its whole file */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: LoadsRepository,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  list(limit: number): Promise<LoadBatch[]> {
    return this.repo.list(limit);
  }

  settings(): UploadSettings {
    const a = currentAccess()!;
    return {
      maxBytes: this.config.upload.maxBytes,
      maxFiles: this.config.upload.maxFiles,
      types: [...UPLOAD_TYPES],
      kinds: KINDS.filter((k) => a.regions === null || !NATIONAL_KINDS.includes(k)).map((k) => ({ kind: k, label: KIND_LABEL[k] })),
      regions: a.regions === null ? null : [...a.regions],
    };
  }

  /** Receives the files of a request and starts their dry run or load; answers the job at once. */
  async upload(req: Request, q: UploadQuery): Promise<UploadJob> {
    const a = currentAccess()!;
    const kind = q.kind as Kind | 'auto';
    if (a.regions !== null && kind !== 'auto' && NATIONAL_KINDS.includes(kind)) throw nationalRefused(kind);
    let region: string | null = q.region === 'auto' ? null : q.region;
    if (region) assertRegion(region, 'query.region');
    // a user of some regions loads into their own region unless they name another of theirs
    else if (a.regions !== null) region = a.regionCode;
    const id = crypto.randomBytes(16).toString('hex');
    const dir = path.join(this.config.upload.dir, `mspr-upload-${id}`);
    const files = await receiveFiles(req, dir, this.config.upload);
    const job = this.newJob(id, a, dir, files, q.mode, { kind, region, skipInvalid: q.skipInvalid, effectiveDate: q.effectiveDate, maxErrors: q.maxErrors });
    this.log.info({ job: id, mode: q.mode, files: files.map((f) => [f.name, f.size]) }, 'upload received');
    this.enqueue(job);
    return this.view(job);
  }

  /** Loads the files a dry run checked (they are not sent again). */
  loadChecked(id: string, body: LoadChecked): UploadJob {
    const checked = this.own(id);
    if (checked.mode !== 'dry-run' || checked.status !== 'done') {
      throw new ConflictError('LOAD.JOB_NOT_CHECKED', '只有已完成的预检可以导入 (only a finished dry run can be loaded)');
    }
    if (!checked.kept) throw new ConflictError('LOAD.JOB_EXPIRED', '预检的文件已导入或已过期，请重新上传 (the checked files were loaded already or have expired; upload them again)');
    const clean = checked.files.every((f) => f.summary?.status === 'dry-run' && f.summary.errorCount === 0);
    if (!clean && !body.skipInvalid) {
      throw new AppError('LOAD.NOT_CLEAN', '预检发现问题：请修正文件后重新上传，或选择“跳过无效行”导入有效行 (the dry run found problems; fix the files or skip invalid rows)', 422);
    }
    const a = currentAccess()!;
    checked.kept = false;
    clearTimeout(checked.timer);
    const files = checked.files.map((f) => ({ name: f.name, path: f.path, size: f.size, region: checked.region ? null : (f.summary?.region ?? null) }));
    const job = this.newJob(crypto.randomBytes(16).toString('hex'), a, checked.dir, files, 'load', {
      kind: checked.kind, region: checked.region, skipInvalid: body.skipInvalid, effectiveDate: checked.effectiveDate, maxErrors: checked.maxErrors,
    });
    this.enqueue(job);
    return this.view(job);
  }

  job(id: string): UploadJob {
    return this.view(this.own(id));
  }

  async remove(batchId: number): Promise<RemoveResult> {
    const a = currentAccess()!;
    try {
      return await removeBatch(this.repo.pool(), batchId, {
        actor: { userId: a.userId, actor: a.username, requestId: currentRequestId() ?? null },
        regions: a.regions,
      });
    } catch (e) {
      if (e instanceof RemoveError) throw new AppError(e.code, e.message, e.code === 'LOAD.BATCH_NOT_FOUND' ? 404 : 409, e.details);
      throw e;
    }
  }

  onModuleDestroy(): void {
    for (const j of this.jobs.values()) {
      clearTimeout(j.timer);
      fs.rmSync(j.dir, { recursive: true, force: true });
    }
  }

  private own(id: string): Job {
    const j = this.jobs.get(id);
    if (!j || j.userId !== currentAccess()!.userId) throw new NotFoundError('LOAD.JOB_NOT_FOUND', '上传任务不存在或已过期 (upload job not found)');
    return j;
  }

  private newJob(id: string, a: Access, dir: string, files: (ReceivedFile & { region?: string | null })[], mode: Job['mode'], o: Pick<Job, 'kind' | 'region' | 'skipInvalid' | 'effectiveDate' | 'maxErrors'>): Job {
    const job: Job = {
      id, userId: a.userId, username: a.username, requestId: currentRequestId() ?? null, regions: a.regions, dir, mode, status: 'queued', ...o,
      createdAt: new Date(), startedAt: 0, finishedAt: null, kept: true, error: null,
      files: files.map((f) => ({
        ...f, status: 'waiting', rowsRead: 0, totalRows: null, startedAt: 0, rowsPerSecond: 0, etaSeconds: null, phase: null, phases: [], summary: null,
      })),
    };
    this.jobs.set(id, job);
    return job;
  }

  private enqueue(job: Job): void {
    this.queue = this.queue.then(() => this.execute(job));
  }

  private async execute(job: Job): Promise<void> {
    job.status = 'running';
    let outcome: 'done' | 'failed' = 'failed';
    job.startedAt = Date.now();
    try {
      for (const f of job.files) {
        f.status = 'running';
        f.startedAt = Date.now();
        const s = await loadFile(this.repo.pool(), f.path, {
          kind: job.kind === 'auto' ? undefined : job.kind,
          region: f.region ?? job.region ?? undefined,
          dryRun: job.mode === 'dry-run',
          skipInvalid: job.skipInvalid,
          maxErrors: job.maxErrors,
          memoryMB: this.config.upload.memoryMB,
          effectiveDate: job.effectiveDate,
          origin: 'user',
          user: job.username,
          userId: job.userId,
          requestId: job.requestId,
          regions: job.regions,
          forbiddenKinds: job.regions === null ? undefined : NATIONAL_KINDS,
          onProgress: (rows, total) => {
            f.rowsRead = rows;
            f.totalRows = total;
            const secs = Math.max(0.001, (Date.now() - f.startedAt) / 1000);
            f.rowsPerSecond = Math.round(rows / secs);
            f.etaSeconds = total && f.rowsPerSecond > 0 ? Math.max(0, Math.round((total - rows) / f.rowsPerSecond)) : null;
          },
          onPhase: (code) => enterPhase(f, code),
        });
        f.summary = present(s, f.name);
        f.rowsRead = s.rowsRead || f.rowsRead;
        f.totalRows = f.rowsRead;
        f.etaSeconds = 0;
        f.status = 'done';
      }
      outcome = 'done';
    } catch (e) {
      job.error = `导入任务失败：${e instanceof Error ? e.message : String(e)} (the job failed)`;
      this.log.error({ job: job.id, err: e instanceof Error ? e.message : String(e) }, 'upload job failed');
    } finally {
      // the job reads as finished only once its files are removed (a poll that sees it done finds them gone)
      const keep = job.mode === 'dry-run' && outcome === 'done' && job.kept;
      if (!keep) {
        job.kept = false;
        await fs.promises.rm(job.dir, { recursive: true, force: true }).catch(() => undefined);
      }
      job.finishedAt = new Date();
      job.status = outcome;
      // the files of a dry run wait an hour to be loaded; the job's state stays readable as long
      job.timer = setTimeout(() => {
        if (job.kept) fs.rmSync(job.dir, { recursive: true, force: true });
        this.jobs.delete(job.id);
      }, KEEP_MS);
      job.timer.unref();
    }
  }

  private view(j: Job): UploadJob {
    const phase = j.status === 'queued' ? 'queued' : j.status === 'running' ? (j.mode === 'dry-run' ? 'checking' : 'loading') : 'done';
    const clean = j.status === 'done' && j.files.every((f) => f.summary !== null && f.summary.errorCount === 0 && ['dry-run', 'loaded', 'unchanged'].includes(f.summary.status));
    return {
      id: j.id,
      mode: j.mode,
      status: j.status,
      phase,
      kind: j.kind,
      region: j.region ?? 'auto',
      skipInvalid: j.skipInvalid,
      createdBy: j.username,
      createdAt: j.createdAt.toISOString(),
      finishedAt: j.finishedAt?.toISOString() ?? null,
      seconds: j.startedAt ? ((j.finishedAt?.getTime() ?? Date.now()) - j.startedAt) / 1000 : 0,
      files: j.files.map((f) => ({
        name: f.name, size: f.size, status: f.status, rowsRead: f.rowsRead, totalRows: f.totalRows, rowsPerSecond: f.rowsPerSecond,
        etaSeconds: f.etaSeconds,
        phase: f.phase ? { code: f.phase.code, ...LOAD_PHASES[f.phase.code], seconds: (Date.now() - f.phase.startedAt) / 1000 } : null,
        phases: f.phases.map((p) => ({ code: p.code, ...LOAD_PHASES[p.code], seconds: p.seconds })),
        summary: f.summary,
      })),
      loadable: j.mode === 'dry-run' && j.status === 'done' && j.kept,
      clean,
      error: j.error,
    };
  }
}

/** Closes the file's current phase into its list and enters `code` (null: the load of the file is over). */
function enterPhase(f: JobFile, code: LoadPhase | null): void {
  const now = Date.now();
  if (f.phase) f.phases.push({ code: f.phase.code, seconds: (now - f.phase.startedAt) / 1000 });
  f.phase = code ? { code, startedAt: now } : null;
}

function nationalRefused(kind: Kind): AppError {
  return new AppError('LOAD.NATIONAL_KIND', `“${KIND_LABEL[kind]}”是全国性文件，只有可管理全部地区的用户可以导入 (national files are loaded by users of every region only)`, 403, [
    { path: 'query.kind', message: kind },
  ]);
}

/** The CLI's summary with the file's own name in place of where it waited on the server. */
function present(s: LoadSummary, name: string): UploadSummary {
  const issue = (i: LoadSummary['errors'][number]) => ({ ...i, file: name });
  return {
    file: name, kind: s.kind, status: s.status, batchId: s.batchId, replacedBatchId: s.replacedBatchId, region: s.region, rowsRead: s.rowsRead,
    rowsLoaded: s.rowsLoaded, rowsRejected: s.rowsRejected, errorCount: s.errorCount, errors: s.errors.map(issue), warningCount: s.warningCount,
    warnings: s.warnings.map(issue), rejectFile: null, seconds: s.seconds,
  };
}
