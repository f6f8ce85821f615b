//! What one file's run is given: the file, where its redacted copy goes and how the copy may
//! take its place; and whom to tell of the video frames it writes.

use crate::fsutil::Placing;
use std::path::PathBuf;

/// One input file and where its redacted copy goes (`None`: analyse only, as `check` does).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileJob {
    pub input: PathBuf,
    pub output: Option<PathBuf>,
    /// Whether the copy is new or replaces one an earlier run wrote.
    pub placing: Placing,
}

/// Told of each video frame written (for the progress bar); `&|_| {}` when nobody listens.
pub type FramesDone<'a> = &'a (dyn Fn(u64) + Sync);
