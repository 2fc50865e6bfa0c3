// Who the benchmarks are to the API. Every request a benchmark sends through apiCaller or sessionHeaders carries these
// headers; when the API asks for a login, the benchmarks log in here, in one place.

/** The headers of the benchmark user's session: none while the API needs no login. */
export function sessionHeaders(): Record<string, string> {
  return {};
}
