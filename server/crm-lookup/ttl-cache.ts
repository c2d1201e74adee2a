/**
 * A bounded map whose entries expire: at most `maxEntries` kept, the least recently used dropped
 * first (a Map iterates in insertion order, so a read re-inserts). Times come from the caller, so a
 * test's clock drives expiry.
 */
export function createTtlCache<V>(maxEntries: number, ttlMs: number) {
  const entries = new Map<string, { value: V; expiresAtMs: number }>();

  return {
    get(key: string, nowMs: number): V | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expiresAtMs <= nowMs) return undefined;
      entries.set(key, entry);
      return entry.value;
    },

    set(key: string, value: V, nowMs: number): void {
      if (ttlMs <= 0) return;
      entries.delete(key);
      entries.set(key, { value, expiresAtMs: nowMs + ttlMs });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },

    get size(): number {
      return entries.size;
    },
  };
}

export type TtlCache<V> = ReturnType<typeof createTtlCache<V>>;
