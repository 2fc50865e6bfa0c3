import { formatIssue } from './issues';
import { KIND_LABEL } from './loader';
import type { LoadSummary } from './run';

/** One line of the CLI's report, and where it goes: standard output, or standard error for a file not loaded. */
export interface ReportLine {
  stream: 'out' | 'err';
  text: string;
}

/** The human-readable report of one file: a summary line, then its problems and its warnings. */
export function summaryLines(s: LoadSummary): ReportLine[] {
  const kind = s.kind ? `${KIND_LABEL[s.kind]} ${s.kind}` : '未识别';
  const head = `${s.file} [${kind}]${s.region ? ` 地区 ${s.region}` : ''}`;
  const counts = `读取 ${s.rowsRead} 行，导入 ${s.rowsLoaded} 行，拒绝 ${s.rowsRejected} 行`;
  const lines: ReportLine[] = [];
  const out = (text: string) => lines.push({ stream: 'out', text });
  const err = (text: string) => lines.push({ stream: 'err', text });
  switch (s.status) {
    case 'loaded':
      out(`✔ ${head}: ${counts}（批次 #${s.batchId}${s.replacedBatchId ? `，替换批次 #${s.replacedBatchId}` : ''}，${s.seconds.toFixed(1)} 秒）`);
      if (s.rejectFile) out(`  被拒绝的行见 (rejected rows): ${s.rejectFile}`);
      break;
    case 'unchanged':
      out(`= ${head}: 相同文件已导入（批次 #${s.batchId}），未作更改 (already loaded; nothing changed)`);
      break;
    case 'dry-run':
      out(`✔ ${head}: 校验通过，未写入 (dry run: valid, nothing written): ${counts}`);
      break;
    default:
      err(`✘ ${head}: ${s.errorCount} 个问题，未写入任何数据 (nothing was written)`);
  }
  // the rows a loaded file left out (--skip-invalid) on standard output, the problems of any other file on standard error
  for (const i of s.errors) (s.status === 'loaded' ? out : err)('  ' + formatIssue(i));
  if (s.errorCount > s.errors.length) err(`  …… 另有 ${s.errorCount - s.errors.length} 个问题未列出 (more problems not shown)`);
  // warnings go with the summary line
  const notes = s.status === 'invalid' || s.status === 'failed' ? err : out;
  if (s.warningCount > 0) {
    notes(`  ${s.warningCount} 个警告 (warnings):`);
    for (const w of s.warnings) notes('  ⚠ ' + formatIssue(w));
    if (s.warningCount > s.warnings.length) notes(`  …… 另有 ${s.warningCount - s.warnings.length} 个警告未列出 (more warnings not shown)`);
  }
  return lines;
}

/** 0 when every file loaded (or was unchanged, or passed a dry run) without errors — warnings do not count — else 1. */
export function exitCode(summaries: LoadSummary[], skipInvalid: boolean): 0 | 1 {
  const ok = summaries.every((s) => ['loaded', 'unchanged', 'dry-run'].includes(s.status) && (s.errorCount === 0 || skipInvalid));
  return ok ? 0 : 1;
}
