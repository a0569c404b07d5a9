// Ids met before, remembered in a fixed number of bits whatever their count.

/**
 * A Bloom filter of ids already met: about 48 bits an expected id (at least 128 KiB, at most
 * 64 MiB), about one false "seen" in a million ids at the expected count. A "seen" answer can be
 * false, so it only makes the id a suspect, for an exact check by whoever asks.
 */
export class SeenIds {
  private readonly bits: Uint32Array;
  private readonly size: number;
  private static readonly K = 7;
  constructor(expected: number) {
    this.size = Math.max(1 << 20, Math.min(2 ** 29, expected * 48));
    this.bits = new Uint32Array(Math.ceil(this.size / 32));
  }
  // The two hashes of the last id (fields, so no pair is allocated on each call).
  private h1 = 0;
  private h2 = 0;
  private hash(id: string): void {
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    this.h1 = h1 >>> 0;
    this.h2 = (h2 | 1) >>> 0;
  }
  add(id: string): void {
    this.hash(id);
    for (let k = 0; k < SeenIds.K; k++) {
      const bit = ((this.h1 + Math.imul(k, this.h2)) >>> 0) % this.size;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
  }
  has(id: string): boolean {
    this.hash(id);
    for (let k = 0; k < SeenIds.K; k++) {
      const bit = ((this.h1 + Math.imul(k, this.h2)) >>> 0) % this.size;
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}
