//! A short, stable digest of text: 64 bits of FNV-1a. For names and labels (cache files, a
//! token's cache label), not for security: a collision costs a cache miss, never a wrong list,
//! since each cache file also holds its full key.

/// FNV-1a over `bytes`, 64 bits.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_values() {
        // The reference values of FNV-1a 64.
        assert_eq!(super::fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(super::fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
