//! sha256, as every record of this program writes it: lowercase hex. Inputs and outputs in the
//! report and the resume records, models against their manifest, site configs, shards. And
//! secrets drawn from the operating system's random source (keys, access tokens).

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::path::Path;

/// The sha256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The sha256 of a file read in pieces (a video need not fit in memory).
pub fn sha256_file(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(hex::encode(hasher.finalize()))
}

/// `N` bytes from the operating system's random source.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0; N];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| std::io::Read::read_exact(&mut random, &mut bytes))
        .context("cannot read the random source /dev/urandom")?;
    Ok(bytes)
}
