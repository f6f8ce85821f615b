//! sha256, as every record of this program writes it: lowercase hex. Inputs and outputs in the
//! report and the resume records, models against their manifest, site configs, shards.

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
