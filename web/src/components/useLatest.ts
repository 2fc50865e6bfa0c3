import { ref, shallowRef, watch, type Ref, type ShallowRef, type WatchSource } from 'vue';

/**
 * Data read again whenever `source` changes, keeping only the answer of the latest request (an earlier, slower answer
 * never overwrites a later one), with its loading and error state. `clearOnError` puts `initial` back when the
 * latest request fails, instead of keeping the last answer.
 */
export function useLatest<A, T>(
  source: WatchSource<A>,
  read: (a: A) => Promise<T>,
  initial: T,
  o: { clearOnError?: boolean } = {},
): { data: ShallowRef<T>; loading: Ref<boolean>; error: Ref<unknown> } {
  const data = shallowRef(initial) as ShallowRef<T>;
  const loading = ref(false);
  const error = ref<unknown>(null);
  let seq = 0;
  watch(
    source,
    async (a) => {
      const mine = ++seq;
      loading.value = true;
      error.value = null;
      try {
        const r = await read(a);
        if (mine === seq) data.value = r;
      } catch (e) {
        if (mine === seq) {
          error.value = e;
          if (o.clearOnError) data.value = initial;
        }
      } finally {
        if (mine === seq) loading.value = false;
      }
    },
    { immediate: true },
  );
  return { data, loading, error };
}
