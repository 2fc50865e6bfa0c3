/**
 * Lets the event loop answer what is waiting (other requests, health) before a long computation goes on: await it
 * between slices of a loop over hundreds of thousands of entries, so that no request stalls the others for long.
 */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Entries a loop of simple steps (a Map lookup, a few array writes) handles between two yields: a few ms of work. */
export const SLICE_ENTRIES = 32_768;
