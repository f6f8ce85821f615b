//! File-system helpers shared by every writer.

use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to a hidden temporary file beside `path`, then renames it into place, so a
/// reader, or a run killed half-way, never sees a half-written output. No fsync, as with `cp`:
/// it cost 10-15% of a batch's time, and durability against power loss is the file system's.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_placed(path, bytes, Placing::Replace)
}

/// As [`write_atomically`], taking its place as `placing` says.
pub fn write_placed(path: &Path, bytes: &[u8], placing: Placing) -> Result<()> {
    let mut temp = temporary_beside(path)?;
    temp.write_all(bytes)?;
    put_in_place(temp, path, placing)
}

/// Whether a redacted copy may replace a file at its name. Only a copy phi-redact itself wrote
/// earlier is ever replaced (see `resume::Precedent`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Placing {
    /// Nothing of this program's making is at the name: a file there (an original; another
    /// input's copy, whose name differs only in case on a volume that ignores case) is left
    /// alone, unless it holds the very same bytes (a copy written by a run killed before its
    /// record).
    #[default]
    New,
    /// An earlier copy of this program's making is replaced.
    Replace,
}

/// Renames a finished temporary file onto `path`, as `placing` allows.
pub fn put_in_place(temp: tempfile::NamedTempFile, path: &Path, placing: Placing) -> Result<()> {
    let placed = match placing {
        Placing::New => temp.persist_noclobber(path),
        Placing::Replace => temp.persist(path),
    };
    match placed {
        Ok(_) => Ok(()),
        Err(refused) if refused.error.kind() == std::io::ErrorKind::AlreadyExists => {
            if same_content(refused.file.path(), path)? {
                return Ok(());
            }
            bail!("{} already exists and is not a copy phi-redact wrote (or was changed since): it is left alone; move it, or choose another --out", path.display())
        }
        Err(refused) => Err(refused.error).with_context(|| format!("cannot write {}", path.display())),
    }
}

/// Whether two files hold the same bytes.
fn same_content(a: &Path, b: &Path) -> Result<bool> {
    use std::io::{BufRead, BufReader};
    let open = |path: &Path| std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()));
    let (file_a, file_b) = (open(a)?, open(b)?);
    if file_a.metadata()?.len() != file_b.metadata()?.len() {
        return Ok(false);
    }
    let (mut a, mut b) = (BufReader::new(file_a), BufReader::new(file_b));
    loop {
        let (chunk_a, chunk_b) = (a.fill_buf()?, b.fill_buf()?);
        let n = chunk_a.len().min(chunk_b.len());
        if n == 0 {
            return Ok(chunk_a.len() == chunk_b.len());
        }
        if chunk_a[..n] != chunk_b[..n] {
            return Ok(false);
        }
        a.consume(n);
        b.consume(n);
    }
}

/// A hidden temporary file in `path`'s folder (created if need be), to be renamed onto `path`
/// when complete; dropped unrenamed, it is deleted. A process killed outright cannot delete it,
/// so its name says which machine and process wrote it (`.phi-redact-HOST~PID~xxxxxx.tmp`), for
/// [`clear_abandoned_temporaries`].
pub fn temporary_beside(path: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let prefix = format!("{TEMPORARY_PREFIX}{}~{}~", host_name(), std::process::id());
    Ok(tempfile::Builder::new().prefix(&prefix).suffix(TEMPORARY_SUFFIX).tempfile_in(dir)?)
}

const TEMPORARY_PREFIX: &str = ".phi-redact-";
const TEMPORARY_SUFFIX: &str = ".tmp";

/// Deletes the temporary files under `dir` whose writer, a process on this machine, is gone.
/// Those of live processes (another shard writing into the same folder) and of other machines
/// sharing the folder are left alone.
pub fn clear_abandoned_temporaries(dir: &Path) -> Result<()> {
    let host = host_name();
    for entry in walkdir::WalkDir::new(dir).into_iter().filter_map(|e| e.ok()).filter(|e| e.file_type().is_file()) {
        let name = entry.file_name().to_string_lossy();
        let Some(writer) = name.strip_prefix(TEMPORARY_PREFIX).filter(|_| name.ends_with(TEMPORARY_SUFFIX)) else { continue };
        let mut parts = writer.split('~');
        let (Some(written_on), Some(pid)) = (parts.next(), parts.next()) else { continue };
        if written_on == host && !Path::new("/proc").join(pid).exists() {
            std::fs::remove_file(entry.path()).with_context(|| format!("cannot remove {}", entry.path().display()))?;
        }
    }
    Ok(())
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").map(|h| h.trim().replace('~', "-")).unwrap_or_else(|_| "localhost".into())
}

/// Whether `path` is, or once written would be, inside `dir` (which must exist), links and
/// `..` resolved: of `path`, its nearest existing ancestor is resolved and the names below it
/// appended. A `..` below it counts as inside: this decides where PHI may go, so doubt falls
/// on the careful side.
pub fn lies_within(path: &Path, dir: &Path) -> Result<bool> {
    let dir = dir.canonicalize().with_context(|| format!("cannot resolve {}", dir.display()))?;
    let absolute = std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    let mut existing = absolute.as_path();
    while existing.symlink_metadata().is_err() {
        // `file_name` is `None` for a `..`.
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(_)) => existing = parent,
            _ => return Ok(true),
        }
    }
    let resolved = existing.canonicalize().with_context(|| format!("cannot resolve {}", existing.display()))?;
    Ok(resolved.starts_with(&dir))
}

/// Never overwrite an original, whatever paths the user combined: the same file, however
/// reached (links, bind mounts, a volume that ignores case), has the same device and inode.
pub fn refuse_to_overwrite(input: &Path, output: &Path) -> Result<()> {
    if file_id(output).is_some_and(|id| file_id(input) == Some(id)) {
        bail!("refusing to overwrite the input with its redacted copy");
    }
    Ok(())
}

/// The device and inode of the file at `path` (links followed); `None` when there is none.
pub fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_lies_within_a_folder_whatever_way_it_is_spelt() {
        let root = tempfile::tempdir().unwrap();
        let (out, private) = (root.path().join("out"), root.path().join("private"));
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir_all(&private).unwrap();
        std::os::unix::fs::symlink(&out, root.path().join("link-to-out")).unwrap();
        let inside = ["out/r.json", "out/new/deeper/r.json", "private/../out/r.json", "link-to-out/r.json", "out/new/../../x.json"];
        for path in inside {
            assert!(lies_within(&root.path().join(path), &out).unwrap(), "{path}");
        }
        for path in ["private/r.json", "r.json", "out-not/r.json", "private/new/r.json"] {
            assert!(!lies_within(&root.path().join(path), &out).unwrap(), "{path}");
        }
    }

    #[test]
    fn writes_into_new_folders_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a/b/out.bin");
        write_atomically(&target, b"first").unwrap();
        write_atomically(&target, b"second").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"second");
        assert_eq!(std::fs::read_dir(dir.path().join("a/b")).unwrap().count(), 1);
    }

    #[test]
    fn only_temporaries_of_processes_gone_from_this_machine_are_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let host = host_name();
        let live = temporary_beside(&dir.path().join("live.png")).unwrap();
        let names =
            [format!(".phi-redact-{host}~999999999~abc.tmp"), ".phi-redact-other-host~999999999~abc.tmp".to_string(), "keep.tmp".into()];
        for name in &names {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        clear_abandoned_temporaries(dir.path()).unwrap();
        assert!(!dir.path().join(&names[0]).exists(), "a dead process's temporary is cleared");
        assert!(dir.path().join(&names[1]).exists() && dir.path().join(&names[2]).exists());
        assert!(live.path().exists(), "a live process's temporary is kept");
    }
}
