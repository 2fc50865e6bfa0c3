import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request } from 'express';
import { AppError } from '../common/errors';

/** The file types the loaders read, by extension, with the leading bytes each must have. */
export const UPLOAD_TYPES = ['.csv', '.tsv', '.txt', '.xlsx', '.arrow', '.arrows', '.feather', '.parquet'] as const;

/** A file of an upload, written whole to its own folder under the upload's folder. */
export interface ReceivedFile {
  /** the name the user's file had (the load batch's file name) */
  name: string;
  /** where it is stored, under a folder of its own, with its own name */
  path: string;
  size: number;
}

export interface UploadLimits {
  maxBytes: number;
  maxFiles: number;
}

const mib = (n: number) => (n >= 1024 ** 3 ? `${+(n / 1024 ** 3).toFixed(2)} GB` : `${+(n / 1024 ** 2).toFixed(1)} MB`);
const typesText = UPLOAD_TYPES.join('、');

export const tooLarge = (max: number) =>
  new AppError('LOAD.TOO_LARGE', `上传的文件合计超过 ${mib(max)} 的上限，未保存任何文件 (the upload exceeds the limit of ${max} bytes)`, 413, [
    { path: 'body.files', message: `at most ${max} bytes in all` },
  ]);

/** A file name kept as the batch's name: its last path part, without control characters, at most 200 characters. */
function cleanName(raw: string): string | null {
  const base = raw.split(/[\\/]/).pop()!.trim();
  if (!base || base === '.' || base === '..' || base.length > 200 || /[\u0000-\u001f]/.test(base)) return null;
  return base;
}

const startsWith = (buf: Buffer, bytes: number[]) => buf.length >= bytes.length && bytes.every((b, i) => buf[i] === b);

/** What the leading bytes say the file is, for the message of a mismatch. */
function looksLike(head: Buffer): string | null {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'zip/xlsx';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) return 'xls (Excel 97-2003)';
  if (head.subarray(0, 6).toString('latin1') === 'ARROW1' || startsWith(head, [0xff, 0xff, 0xff, 0xff])) return 'arrow';
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47]) || startsWith(head, [0xff, 0xd8, 0xff])) return 'image';
  if (head.includes(0)) return 'binary';
  return null;
}

/**
 * Content sniffing: the leading bytes must be those of the extension's format (a zip for .xlsx, ARROW1 or an IPC
 * stream for Arrow, PAR1 for Parquet, text without NUL bytes for CSV). Returns a problem, or null.
 */
export function sniff(name: string, head: Buffer): string | null {
  const ext = path.extname(name).toLowerCase();
  const seen = looksLike(head);
  const ok =
    ext === '.xlsx' ? seen === 'zip/xlsx'
    : ext === '.parquet' ? seen === 'parquet'
    : ['.arrow', '.arrows', '.feather'].includes(ext) ? seen === 'arrow'
    : seen === null; // csv, tsv, txt: text
  if (ok) return null;
  const want = ext === '.xlsx' ? 'Excel 工作簿（xlsx）' : ext === '.parquet' ? 'Parquet' : ext.startsWith('.arrow') || ext === '.feather' ? 'Arrow IPC' : 'CSV 文本';
  return `文件“${name}”的内容不是${want}${seen ? `（看起来是 ${seen}）` : ''}：扩展名与内容不符 (the content of ${name} does not match its extension)`;
}

async function readHead(file: string): Promise<Buffer> {
  const h = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await h.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await h.close();
  }
}

/**
 * Streams the files of a multipart request (field `files`, one or several) to `dir`, each to disk as it arrives (never
 * whole in memory), checking each name's extension as its part starts, the total size as bytes arrive and each file's
 * leading bytes once it is stored. Refuses with 400 (not multipart, no file, malformed), 413 (LOAD.TOO_LARGE,
 * LOAD.TOO_MANY_FILES) or 415 (LOAD.UNSUPPORTED_TYPE, LOAD.TYPE_MISMATCH); then the files written so far are removed
 * and the rest of the request is read and discarded, so that the client gets the answer.
 */
export async function receiveFiles(req: Request, dir: string, limits: UploadLimits): Promise<ReceivedFile[]> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^multipart\/form-data/i.test(type)) {
    throw new AppError('LOAD.NOT_MULTIPART', '请以 multipart/form-data 上传文件（字段 files）(upload the files as multipart/form-data, field files)', 415, [
      { path: 'content-type', message: 'multipart/form-data expected' },
    ]);
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  // the multipart framing of a few hundred files is far below 1 MB
  if (Number.isFinite(declared) && declared > limits.maxBytes + 1024 * 1024) {
    req.resume();
    throw tooLarge(limits.maxBytes);
  }
  await fs.promises.mkdir(dir, { recursive: true });
  const files: ReceivedFile[] = [];
  let total = 0;
  const writes: Promise<void>[] = [];
  const sinks: fs.WriteStream[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      let bb: busboy.Busboy;
      try {
        bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: limits.maxFiles, fileSize: limits.maxBytes, fields: 20, fieldSize: 1024, parts: limits.maxFiles + 20 } });
      } catch {
        reject(new AppError('LOAD.BAD_UPLOAD', '上传请求的格式无效 (malformed multipart request)', 400, [{ path: 'body', message: 'malformed multipart' }]));
        return;
      }
      const fail = (e: AppError) => {
        if (failed) return;
        failed = true;
        req.unpipe(bb);
        req.resume(); // read and drop the rest, so that the answer reaches the client
        reject(e);
      };
      bb.on('file', (field, stream, info) => {
        if (failed) return stream.resume();
        if (field !== 'files' && field !== 'file') {
          stream.resume();
          return fail(new AppError('LOAD.BAD_UPLOAD', `未知的表单字段“${field}”：文件请放在字段 files 中 (unknown part ${field}; send the files as files)`, 400, [{ path: `body.${field}`, message: 'unknown part' }]));
        }
        const name = cleanName(info.filename ?? '');
        if (!name) {
          stream.resume();
          return fail(new AppError('LOAD.BAD_UPLOAD', '文件名无效：不能为空、不能含控制字符，最多 200 个字符 (invalid file name)', 400, [{ path: 'body.files', message: 'invalid file name' }]));
        }
        const ext = path.extname(name).toLowerCase();
        if (!(UPLOAD_TYPES as readonly string[]).includes(ext)) {
          stream.resume();
          return fail(new AppError('LOAD.UNSUPPORTED_TYPE', `文件“${name}”的类型不受支持：可上传 ${typesText} (unsupported file type ${ext || '(none)'})`, 415, [{ path: 'body.files', message: name }]));
        }
        const own = path.join(dir, String(files.length));
        fs.mkdirSync(own);
        const target = path.join(own, name);
        const f: ReceivedFile = { name, path: target, size: 0 };
        files.push(f);
        stream.on('data', (chunk: Buffer) => {
          f.size += chunk.length;
          total += chunk.length;
          if (total > limits.maxBytes) fail(tooLarge(limits.maxBytes));
        });
        stream.on('limit', () => fail(tooLarge(limits.maxBytes)));
        const sink = fs.createWriteStream(target, { highWaterMark: 1 << 20 });
        sinks.push(sink);
        writes.push(pipeline(stream, sink).catch((e: Error) => {
          if (!failed) fail(new AppError('LOAD.BAD_UPLOAD', `文件“${name}”未能完整接收：${e.message} (the file was not received whole)`, 400, [{ path: 'body.files', message: name }]));
        }));
      });
      bb.on('filesLimit', () => fail(new AppError('LOAD.TOO_MANY_FILES', `一次最多上传 ${limits.maxFiles} 个文件 (at most ${limits.maxFiles} files per upload)`, 413, [{ path: 'body.files', message: `at most ${limits.maxFiles}` }])));
      bb.on('partsLimit', () => fail(new AppError('LOAD.BAD_UPLOAD', '上传请求的部分过多 (too many parts)', 400, [{ path: 'body', message: 'too many parts' }])));
      bb.on('error', (e: Error) => fail(new AppError('LOAD.BAD_UPLOAD', `上传请求的格式无效：${e.message} (malformed multipart request)`, 400, [{ path: 'body', message: 'malformed multipart' }])));
      bb.on('close', () => {
        if (!failed) resolve();
      });
      req.on('aborted', () => fail(new AppError('LOAD.BAD_UPLOAD', '上传被中断 (the upload was interrupted)', 400)));
      req.pipe(bb);
    });
    await Promise.all(writes);
    if (files.length === 0) {
      throw new AppError('LOAD.NO_FILES', '没有收到文件：请选择要上传的文件（字段 files）(no file in the upload)', 400, [{ path: 'body.files', message: 'required' }]);
    }
    for (const f of files) {
      if (f.size === 0) throw new AppError('LOAD.BAD_FILE', `文件“${f.name}”是空文件 (the file is empty)`, 422, [{ path: 'body.files', message: f.name }]);
      const problem = sniff(f.name, await readHead(f.path));
      if (problem) throw new AppError('LOAD.TYPE_MISMATCH', problem, 415, [{ path: 'body.files', message: f.name }]);
    }
    return files;
  } catch (e) {
    // a file cut off by the refusal never ends: its write is ended here
    for (const s of sinks) s.destroy();
    await Promise.allSettled(writes);
    await fs.promises.rm(dir, { recursive: true, force: true });
    throw e;
  }
}
