/** The parsed JSON body of a response, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json(res: Response): Promise<any> {
  return res.json();
}

/** A JSON request helper bound to the app's base URL (read lazily, once the app listens). */
export function caller(base: () => string) {
  return async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${base()}${p}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await json(res), headers: res.headers };
  };
}
