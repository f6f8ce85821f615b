//! New UIDs for a run: each original UID is replaced by one derived from it and a key drawn
//! afresh for the run, so that the same study stays one study across the run's files (and its
//! parallel workers) without a shared table, while nobody without the key can link a new UID
//! back to the original by hashing candidates.

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct UidKey([u8; 32]);

impl UidKey {
    /// A key from the operating system's random source.
    pub fn fresh() -> Result<Self> {
        let bytes = crate::hashing::random_bytes().context("cannot draw a key for new DICOM UIDs")?;
        Ok(Self(bytes))
    }

    #[cfg(test)]
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// `uid`'s stand-in: a UUID-derived UID (`2.25.` and 128 bits in decimal, PS3.5 B.2),
    /// the bits taken from a keyed hash of the original.
    pub fn replace(&self, uid: &str) -> String {
        let original = uid.trim_matches(|c: char| c == '\0' || c.is_whitespace());
        let digest = Sha256::new().chain_update(self.0).chain_update(original.as_bytes()).finalize();
        let mut bits = [0; 16];
        bits.copy_from_slice(&digest[..16]);
        format!("2.25.{}", u128::from_be_bytes(bits))
    }
}

/// Never printed: the key would undo the replacement.
impl std::fmt::Debug for UidKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("UidKey(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_uid_maps_the_same_way_under_one_key_and_differently_under_another() {
        let one = UidKey::from_bytes([1; 32]);
        let uid = "1.2.840.113619.2.55.3.1234";
        assert_eq!(one.replace(uid), one.replace(&format!("{uid}\0")));
        assert_ne!(one.replace(uid), one.replace("1.2.840.113619.2.55.3.1235"));
        assert_ne!(one.replace(uid), UidKey::from_bytes([2; 32]).replace(uid));
        let new = one.replace(uid);
        assert!(new.starts_with("2.25.") && new.len() <= 64, "{new}");
        assert!(new[5..].chars().all(|c| c.is_ascii_digit()) && !new[5..].starts_with('0'));
    }
}
