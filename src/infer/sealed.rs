//! A verified file's bytes, loaded as they were verified.
//!
//! ONNX Runtime is a shared library, loaded by path. Checked on disk and then loaded again by
//! path, it could be swapped in between by anyone who can write to its folder; so its verified
//! bytes are copied into an anonymous in-memory file (Linux `memfd_create`), which nobody else
//! can reach, and loaded from there through `/proc/self/fd`.

use anyhow::{ensure, Context, Result};
use std::ffi::CString;
use std::fs::File;
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd};
use std::path::PathBuf;

/// An anonymous in-memory file holding a copy of some bytes; it lives as long as this does.
pub struct SealedCopy {
    file: File,
}

impl SealedCopy {
    pub fn of(name: &str, bytes: &[u8]) -> Result<Self> {
        let name = CString::new(name).context("a file name with a NUL byte")?;
        // SAFETY: `name` is a valid C string for the call.
        let fd = unsafe { libc::memfd_create(name.as_ptr(), libc::MFD_CLOEXEC) };
        ensure!(fd >= 0, "cannot create an in-memory file: {}", std::io::Error::last_os_error());
        // SAFETY: a valid descriptor just created, owned by nothing else: `File` takes it over.
        let mut file = unsafe { File::from_raw_fd(fd) };
        file.write_all(bytes).context("cannot copy into an in-memory file")?;
        Ok(Self { file })
    }

    /// A path this process can open or load the copy by.
    pub fn path(&self) -> PathBuf {
        PathBuf::from(format!("/proc/self/fd/{}", self.file.as_raw_fd()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_reads_back_as_the_bytes_given() {
        let copy = SealedCopy::of("test", b"verified bytes").unwrap();
        assert_eq!(std::fs::read(copy.path()).unwrap(), b"verified bytes");
    }
}
