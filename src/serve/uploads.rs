//! The data folder: one folder per upload, holding the original as it arrived, the redacted
//! copy, and the report of its run, so that a later `serve --data DIR` finds all of it again.
//!
//! ```text
//! DIR/uploads/<id>/original/<name>          as uploaded, never changed
//! DIR/uploads/<id>/copy/<name>              the redacted copy (the run's output folder)
//! DIR/uploads/<id>/phi-redact-report.json   its report (and .html), outside the copy's folder
//! ```

use crate::hashing::random_bytes;
use anyhow::{bail, Context, Result};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

/// An upload's name in URLs and on disk: 16 hex digits drawn at random, so that one upload's
/// address tells nothing of another's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UploadId(String);

impl UploadId {
    fn fresh() -> Result<Self> {
        Ok(Self(hex::encode(random_bytes::<8>()?)))
    }

    /// The id in `text`, if it is one: nothing else may become a path.
    pub fn parse(text: &str) -> Option<Self> {
        (text.len() == 16 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))).then(|| Self(text.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The uploads under one data folder.
#[derive(Debug, Clone)]
pub struct Uploads {
    root: PathBuf,
}

/// An upload being received, written under a temporary name until it is whole. Dropped before
/// it is accepted (refused, or the client went away mid-way), it leaves nothing behind.
pub struct Incoming {
    pub id: UploadId,
    pub path: PathBuf,
    name: String,
    dir: PathBuf,
    accepted: bool,
}

impl Drop for Incoming {
    fn drop(&mut self) {
        if !self.accepted {
            // Nothing else refers to it: what cannot be removed now is removed by the next `open`.
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

const ORIGINAL: &str = "original";
const COPY: &str = "copy";
const REPORT: &str = "phi-redact-report.json";
const INCOMING: &str = "incoming.part";

impl Uploads {
    /// The uploads folder under `data`, made private to this user if new.
    pub fn open(data: &Path) -> Result<Self> {
        let root = data.join("uploads");
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&root)
            .with_context(|| format!("cannot create the data folder {}", root.display()))?;
        Ok(Self { root })
    }

    fn dir(&self, id: &UploadId) -> PathBuf {
        self.root.join(id.as_str())
    }

    /// The run's output folder.
    pub fn copy_dir(&self, id: &UploadId) -> PathBuf {
        self.dir(id).join(COPY)
    }

    pub fn report_path(&self, id: &UploadId) -> PathBuf {
        self.dir(id).join(REPORT)
    }

    /// The original, once it has arrived whole.
    pub fn original(&self, id: &UploadId) -> Option<PathBuf> {
        let mut entries = std::fs::read_dir(self.dir(id).join(ORIGINAL)).ok()?;
        entries.next()?.ok().map(|entry| entry.path())
    }

    /// The name the upload arrived with.
    pub fn name(&self, id: &UploadId) -> Option<String> {
        Some(self.original(id)?.file_name()?.to_string_lossy().into_owned())
    }

    /// A new upload of a file called `name` (checked with [`check_file_name`]).
    pub fn receive(&self, name: &str) -> Result<Incoming> {
        let id = UploadId::fresh()?;
        let dir = self.dir(&id);
        std::fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Incoming { path: dir.join(INCOMING), id, name: name.into(), dir, accepted: false })
    }

    /// The upload, arrived whole, put in its place as the original.
    pub fn accept(&self, mut incoming: Incoming) -> Result<UploadId> {
        let originals = incoming.dir.join(ORIGINAL);
        std::fs::create_dir(&originals).with_context(|| format!("cannot create {}", originals.display()))?;
        std::fs::rename(&incoming.path, originals.join(&incoming.name)).context("cannot keep the upload")?;
        incoming.accepted = true;
        Ok(incoming.id.clone())
    }

    /// A finished upload's copy and report removed, to run it again (a run cut short when the
    /// server stopped: its copy may be half placed).
    pub fn forget_run(&self, id: &UploadId) -> Result<()> {
        for path in [self.copy_dir(id), self.dir(id).join(crate::report::THUMBNAIL_DIR)] {
            if path.exists() {
                std::fs::remove_dir_all(&path).with_context(|| format!("cannot clear {}", path.display()))?;
            }
        }
        Ok(())
    }

    /// The uploads kept from earlier, oldest first, and whether each has its report; those that
    /// never arrived whole are removed.
    pub fn earlier(&self) -> Result<Vec<(UploadId, bool)>> {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&self.root).with_context(|| format!("cannot read {}", self.root.display()))? {
            let entry = entry?;
            let Some(id) = entry.file_name().to_str().and_then(UploadId::parse) else { continue };
            let Some(original) = self.original(&id) else {
                std::fs::remove_dir_all(self.dir(&id)).with_context(|| format!("cannot clear {}", self.dir(&id).display()))?;
                continue;
            };
            let arrived = std::fs::metadata(&original).and_then(|m| m.modified()).ok();
            found.push((arrived, id.clone(), self.report_path(&id).is_file()));
        }
        found.sort();
        Ok(found.into_iter().map(|(_, id, finished)| (id, finished)).collect())
    }
}

/// The name an upload arrived with, if it can be kept as a file name as it is: no folders
/// (`/`, `\`, `..`), no NUL or other control characters, not hidden, at most 255 bytes.
pub fn check_file_name(name: &str) -> Result<&str> {
    if name.is_empty() || name.len() > 255 {
        bail!("a file name must have 1 to 255 bytes");
    }
    if name.contains(['/', '\\']) || name.chars().any(char::is_control) {
        bail!("a file name may not hold a path separator or a control character");
    }
    if name.starts_with('.') {
        bail!("a file name may not start with a dot");
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_are_kept() {
        for bad in ["", "../etc/passwd", "..", ".hidden.jpg", "a/b.jpg", "a\\b.jpg", "nul\0.jpg", "tab\t.jpg", &"x".repeat(256)] {
            assert!(check_file_name(bad).is_err(), "{bad:?}");
        }
        for good in ["photo.jpg", "Ward party (2).JPG", "José's wristband.png", "no extension"] {
            assert_eq!(check_file_name(good).unwrap(), good);
        }
    }

    #[test]
    fn ids_are_parsed_strictly() {
        let id = UploadId::fresh().unwrap();
        assert_eq!(UploadId::parse(id.as_str()), Some(id));
        for bad in ["../../../../etc", "0123456789abcdeF", "0123456789abcde", "0123456789abcdef0", "0123456789abcdeg"] {
            assert_eq!(UploadId::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn uploads_that_never_arrived_whole_are_cleared() {
        let data = tempfile::tempdir().unwrap();
        let uploads = Uploads::open(data.path()).unwrap();
        let whole = uploads.receive("a.png").unwrap();
        std::fs::write(&whole.path, b"png").unwrap();
        let whole = uploads.accept(whole).unwrap();
        let refused = uploads.receive("b.png").unwrap();
        std::fs::write(&refused.path, b"pn").unwrap();
        let refused_path = refused.path.clone();
        drop(refused);
        assert!(!refused_path.parent().unwrap().exists(), "a refused upload leaves nothing");
        // A server stopped mid-upload: its folder is found by the next start.
        let cut = uploads.receive("c.png").unwrap();
        std::fs::write(&cut.path, b"p").unwrap();
        let cut_path = cut.path.clone();
        std::mem::forget(cut);

        assert_eq!(uploads.earlier().unwrap(), [(whole.clone(), false)]);
        assert!(!cut_path.parent().unwrap().exists());
        assert_eq!(std::fs::read(uploads.original(&whole).unwrap()).unwrap(), b"png");
    }
}
