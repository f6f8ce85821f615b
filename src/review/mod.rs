//! The review page (`phi-redact-report.html`): the report for people, beside the JSON for
//! machines, and the decisions reviewers make there applied back (`apply`).
//!
//! The page is one self-contained file that works offline from the file system. It carries the
//! JSON report itself, as an inert data block, and its own script draws everything from it.
//! File names and OCR text are attacker-controlled, so no string ever reaches the page as
//! markup: the script writes them with `textContent`, and the data block escapes `<`, `>` and
//! `&` so nothing in it can close the block. A Content-Security-Policy lets only this page's
//! own script and style run (by their hashes), and forbids every network request.

mod apply;
mod page;

pub use apply::{
    apply, apply_decisions, check_report, read_decisions, ApplyOutcome, Decisions, FileDecisions, DECISIONS_KIND, DECISIONS_VERSION,
};
pub use page::{live_page, write_page, LiveLinks};

use crate::report::Report;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Writes a report as JSON to `path`, and its review page beside it.
pub fn write_report(report: &Report, path: &Path) -> Result<()> {
    crate::fsutil::write_atomically(path, &serde_json::to_vec_pretty(report)?)
        .with_context(|| format!("cannot write report {}", path.display()))?;
    write_page(report, path, &page_path(path))
}

/// The review page's file name beside a JSON report: `x.json` -> `x.html`.
pub fn page_path(json_report: &Path) -> PathBuf {
    json_report.with_extension("html")
}

/// A path the report recorded, which may be relative to the folder the run started in.
fn resolve(recorded: &str, working_directory: Option<&str>) -> PathBuf {
    let path = PathBuf::from(recorded);
    match working_directory {
        Some(dir) if path.is_relative() => Path::new(dir).join(path),
        _ => path,
    }
}
