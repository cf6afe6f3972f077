//! TinyLFU's frequency sketch, bit for bit as Caffeine's `FrequencySketch` (caffeine/src/main/
//! java/com/github/benmanes/caffeine/cache/FrequencySketch.java, the 64-byte-block layout).
//!
//! A count-min sketch of depth 4 with 4-bit counters (at most 15), sixteen counters per `u64`,
//! the table as long as the cache's capacity rounded up to a power of two (at least 8). An item's
//! four counters live in one 64-byte block: `spread(hash)` picks the block, `rehash` picks one
//! counter in each of four 16-byte segments. Its estimate is the minimum of the four.
//!
//! **Aging** (TinyLFU's *reset*): after `10 × capacity` increments that changed a counter, every
//! counter is halved, and the sample count is reduced by the odd counters' lost halves.
//!
//! **Doorkeeper** (optional, off as in Caffeine itself): the TinyLFU paper's §3.4.2 Bloom filter
//! in front of the sketch, as Caffeine's simulator offers it (`PeriodicResetCountMin4`): a key's
//! first sighting in a sample only sets its doorkeeper bits; later ones increment the sketch; an
//! estimate adds one for a key the doorkeeper holds; a reset clears it. Ours has
//! `next_power_of_two(10 × capacity)` bits and three probes (a choice, documented here; the
//! simulator sizes its filter by expected insertions and false-positive rate).
//!
//! The hash of a key is its interned id, as a Java `Integer`'s `hashCode` is its value.

const RESET_MASK: u64 = 0x7777_7777_7777_7777;
const ONE_MASK: u64 = 0x1111_1111_1111_1111;

/// Caffeine's supplemental hash (`spread`), on Java `int` arithmetic.
fn spread(mut x: u32) -> u32 {
    x ^= x >> 17;
    x = x.wrapping_mul(0xed5a_d4bb);
    x ^= x >> 11;
    x = x.wrapping_mul(0xac4c_1b51);
    x ^= x >> 15;
    x
}

/// Caffeine's second round (`rehash`).
fn rehash(mut x: u32) -> u32 {
    x = x.wrapping_mul(0x3184_8bab);
    x ^= x >> 14;
    x
}

#[derive(Clone, Debug)]
pub struct FrequencySketch {
    table: Vec<u64>,
    sample_size: u32,
    block_mask: u32,
    size: u32,
    resets: u64,
    doorkeeper: Option<Vec<u64>>,
}

impl FrequencySketch {
    /// An uninitialised sketch (Caffeine creates it lazily): counts nothing until
    /// [`FrequencySketch::ensure_capacity`].
    pub fn new(doorkeeper: bool) -> Self {
        FrequencySketch {
            table: Vec::new(),
            sample_size: 0,
            block_mask: 0,
            size: 0,
            resets: 0,
            doorkeeper: doorkeeper.then(Vec::new),
        }
    }

    pub fn is_initialized(&self) -> bool {
        !self.table.is_empty()
    }

    /// Sizes the table for a cache of `maximum` entries (forgetting counts if it grows).
    pub fn ensure_capacity(&mut self, maximum: usize) {
        let maximum = maximum.min((i32::MAX >> 1) as usize);
        if self.is_initialized() && self.table.len() >= maximum {
            return;
        }
        self.table = vec![0; maximum.next_power_of_two().max(8)];
        self.sample_size = if maximum == 0 {
            10
        } else {
            (10 * maximum).min(i32::MAX as usize) as u32
        };
        self.block_mask = ((self.table.len() >> 3) - 1) as u32;
        self.size = 0;
        if let Some(d) = &mut self.doorkeeper {
            *d = vec![0; ((10 * maximum.max(1)).next_power_of_two() / 64).max(1)];
        }
    }

    /// The four (table index, counter index) pairs of `hash`.
    fn cells(&self, hash: u32) -> [(usize, u32); 4] {
        let block_hash = spread(hash);
        let counter_hash = rehash(block_hash);
        let block = ((block_hash & self.block_mask) << 3) as usize;
        let mut out = [(0, 0); 4];
        for (i, cell) in out.iter_mut().enumerate() {
            let h = counter_hash >> (i << 3);
            let index = (h >> 1) & 15;
            let offset = (h & 1) as usize;
            *cell = (block + offset + (i << 1), index);
        }
        out
    }

    fn sketch_estimate(&self, hash: u32) -> u8 {
        self.cells(hash)
            .iter()
            .map(|&(i, j)| ((self.table[i] >> (j << 2)) & 0xf) as u8)
            .min()
            .unwrap_or(0)
    }

    /// The estimated number of occurrences of `hash` (0 to 15, plus one with a doorkeeper).
    pub fn frequency(&self, hash: u32) -> u8 {
        if !self.is_initialized() {
            return 0;
        }
        self.sketch_estimate(hash) + u8::from(self.door_contains(hash))
    }

    /// Counts one occurrence of `hash`; halves everything at the end of a sample.
    pub fn increment(&mut self, hash: u32) {
        if !self.is_initialized() {
            return;
        }
        if self.doorkeeper.is_some() && self.door_put(hash) {
            return;
        }
        let mut added = false;
        for (i, j) in self.cells(hash) {
            let offset = j << 2;
            let mask = 0xfu64 << offset;
            if self.table[i] & mask != mask {
                self.table[i] += 1u64 << offset;
                added = true;
            }
        }
        if added {
            self.size += 1;
            if self.size == self.sample_size {
                self.reset();
            }
        }
    }

    /// Halves every counter (TinyLFU's reset).
    fn reset(&mut self) {
        let mut odd = 0u32;
        for t in &mut self.table {
            odd += (*t & ONE_MASK).count_ones();
            *t = (*t >> 1) & RESET_MASK;
        }
        self.size = (self.size - (odd >> 2)) >> 1;
        self.resets += 1;
        if let Some(d) = &mut self.doorkeeper {
            d.fill(0);
        }
    }

    /// How many times the counters were halved.
    pub fn resets(&self) -> u64 {
        self.resets
    }

    /// Increments counted in the current sample (Caffeine's `size`).
    pub fn sample_count(&self) -> u32 {
        self.size
    }

    pub fn sample_size(&self) -> u32 {
        self.sample_size
    }

    fn door_bits(&self, hash: u32) -> [usize; 3] {
        let bits = self.doorkeeper.as_ref().map_or(64, |d| d.len() * 64);
        let a = spread(hash ^ 0x9e37_79b9);
        let b = rehash(a) | 1;
        [0u32, 1, 2].map(|i| (a.wrapping_add(i.wrapping_mul(b)) as usize) & (bits - 1))
    }

    fn door_contains(&self, hash: u32) -> bool {
        match &self.doorkeeper {
            Some(d) => self
                .door_bits(hash)
                .iter()
                .all(|&b| d[b >> 6] & (1 << (b & 63)) != 0),
            None => false,
        }
    }

    /// Adds `hash` to the doorkeeper; true if it was not there yet.
    fn door_put(&mut self, hash: u32) -> bool {
        let bits = self.door_bits(hash);
        let Some(d) = &mut self.doorkeeper else {
            return false;
        };
        let mut new = false;
        for b in bits {
            let (w, m) = (b >> 6, 1u64 << (b & 63));
            if d[w] & m == 0 {
                d[w] |= m;
                new = true;
            }
        }
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_match_java_int_arithmetic() {
        // Java's spread(1) and rehash(spread(1)) with int overflow; any change here changes
        // every W-TinyLFU run.
        let s = spread(1);
        let mut x: u32 = 1;
        x ^= x >> 17;
        x = x.wrapping_mul(0xed5ad4bb);
        x ^= x >> 11;
        x = x.wrapping_mul(0xac4c1b51);
        x ^= x >> 15;
        assert_eq!(s, x);
        // Computed independently with Python's 32-bit-masked integers.
        assert_eq!((spread(1), rehash(spread(1))), (3_236_540_641, 69_681_622));
    }

    #[test]
    fn counts_saturate_at_15_and_estimates_never_undercount() {
        let mut s = FrequencySketch::new(false);
        s.ensure_capacity(64);
        assert_eq!((s.table.len(), s.sample_size()), (64, 640));
        for _ in 0..20 {
            s.increment(7);
        }
        assert_eq!(s.frequency(7), 15);
        for k in 100..160 {
            s.increment(k);
            s.increment(k);
        }
        for k in 100..160 {
            assert!(
                s.frequency(k) >= 2,
                "count-min never undercounts before a reset"
            );
        }
    }

    #[test]
    fn reset_halves_after_ten_times_capacity_increments() {
        let mut s = FrequencySketch::new(false);
        s.ensure_capacity(8);
        assert_eq!(s.sample_size(), 80);
        for _ in 0..15 {
            s.increment(1);
        }
        let before = s.frequency(1);
        let mut k = 1_000;
        while s.resets() == 0 {
            s.increment(k);
            k += 1;
        }
        assert!(
            s.frequency(1) <= before / 2 + 1,
            "{} vs {before}",
            s.frequency(1)
        );
        assert!(s.sample_count() < 80);
    }

    #[test]
    fn uninitialised_counts_nothing() {
        let mut s = FrequencySketch::new(false);
        s.increment(3);
        assert_eq!(s.frequency(3), 0);
        s.ensure_capacity(1);
        assert_eq!(s.table.len(), 8);
    }

    #[test]
    fn the_doorkeeper_absorbs_first_sightings() {
        let mut s = FrequencySketch::new(true);
        s.ensure_capacity(16);
        s.increment(5);
        assert_eq!(
            s.sketch_estimate(5),
            0,
            "first sighting only in the doorkeeper"
        );
        assert_eq!(s.frequency(5), 1);
        s.increment(5);
        assert_eq!(s.frequency(5), 2);
    }
}
