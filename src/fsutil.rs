//! File-system helpers shared by every writer.

use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to a hidden temporary file beside `path`, then renames it into place, so a
/// reader, or a run killed half-way, never sees a half-written output. No fsync, as with `cp`:
/// it cost 10-15% of a batch's time, and durability against power loss is the file system's.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut temp = temporary_beside(path)?;
    temp.write_all(bytes)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A hidden temporary file in `path`'s folder (created if need be), to be renamed onto `path`
/// when complete; dropped unrenamed, it is deleted.
pub fn temporary_beside(path: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(tempfile::Builder::new().prefix(".phi-redact-").suffix(".tmp").tempfile_in(dir)?)
}

/// Never overwrite an original, whatever paths the user combined.
pub fn refuse_to_overwrite(input: &Path, output: &Path) -> Result<()> {
    if let (Ok(input), Ok(output)) = (input.canonicalize(), output.canonicalize()) {
        if input == output {
            bail!("refusing to overwrite the input with its redacted copy");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_into_new_folders_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a/b/out.bin");
        write_atomically(&target, b"first").unwrap();
        write_atomically(&target, b"second").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"second");
        assert_eq!(std::fs::read_dir(dir.path().join("a/b")).unwrap().count(), 1);
    }
}
