/**
 * The documents a scenario leaves the product as: the PDF 测算简报 of its round and the Excel files (the 调价项目表,
 * which the scenario page imports back, and the impact tables). A download is fetched first, so a refusal shows the
 * API's Chinese message instead of an error page; the file keeps the name the API gives it.
 */
import { ApiError, sessionEnded, type ApiErrorBody } from './client';

export const briefingPath = (roundId: number, scenarioId: number): string => `/api/rounds/${roundId}/briefing.pdf?scenario=${scenarioId}`;
export const itemsXlsxPath = (scenarioId: number): string => `/api/scenarios/${scenarioId}/items.xlsx`;
export const impactXlsxPath = (scenarioId: number): string => `/api/scenarios/${scenarioId}/impact.xlsx`;

/** The file name of a Content-Disposition header (filename*=UTF-8'' first). */
export function dispositionName(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain ? plain[1] : null;
}

/** Fetches `path` and saves the answer as a file; throws an ApiError with the API's message when it is refused. */
export async function download(path: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(path);
    sessionEnded(path, res.status);
  } catch (e) {
    throw new ApiError({ statusCode: 0, code: 'HTTP.UNREACHABLE', message: `无法连接服务器 (${(e as Error).message})` });
  }
  if (!res.ok) {
    let body: Partial<ApiErrorBody> | null = null;
    try {
      body = (await res.json()) as Partial<ApiErrorBody>;
    } catch {
      body = null;
    }
    throw new ApiError({ statusCode: res.status, code: body?.code ?? `HTTP.${res.status}`, message: body?.message ?? `下载失败 (HTTP ${res.status})`, details: body?.details });
  }
  const blob = await res.blob();
  const name = dispositionName(res.headers.get('content-disposition')) ?? path.split('/').pop()!.split('?')[0];
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
