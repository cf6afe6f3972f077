//! The hash the hashing algorithms share: xxHash64 (the `xxhash-rust` crate), as Envoy's
//! ring-hash and Maglev balancers use (source/common/common/hash.h, `HashUtil::xxHash64`).

pub fn xxh64(bytes: &[u8], seed: u64) -> u64 {
    xxhash_rust::xxh64::xxh64(bytes, seed)
}

/// The bytes a client is hashed by: its IPv4 address, network order.
pub fn ip_key(ip: u32) -> [u8; 4] {
    ip.to_be_bytes()
}

/// A backend's name on the ring / in the Maglev table.
pub fn backend_name(b: usize) -> String {
    format!("backend-{}", b + 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn xxh64_matches_the_reference_vector() {
        // Empty input, seed 0: the published xxHash64 value.
        assert_eq!(super::xxh64(b"", 0), 0xEF46_DB37_51D8_E999);
    }
}
