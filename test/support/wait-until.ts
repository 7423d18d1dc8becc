// Polls a probe every 100 ms until it gives a truthy value (returned), or fails naming what it waited for.
export async function waitUntil<T>(what: string, probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
