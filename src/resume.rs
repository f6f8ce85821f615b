//! Resumable runs over media libraries, and which files in the output folder are phi-redact's
//! own. Once a file's output is in place, a record of it goes into `OUT/.phi-redact/done/`: the
//! input's path and sha256, what made the output (the settings' sha256, the models' sha256s, the
//! device and this program's sha256), and the file's result, the output's sha256 among it.
//! A later run with the same fingerprint does not redo an input whose record matches it and
//! whose output is still the one written: the file is `unchanged`, its earlier result reported
//! again. Anything else (new content, other settings, a newer model or program, an output
//! deleted) is redone; `--force` redoes everything. Only an output still as its record
//! says may be replaced: a file edited since, or one phi-redact never wrote (an original beside
//! which a video's MP4 copy would land), is left alone and the input fails.
//!
//! The records lie in the output folder, beside the public copies, so they hold no text as
//! read and no reviewer's note (see `FileResult::without_private_text`); a run whose report
//! is to hold the text read (`--report-raw-text`) cannot take it from them and redoes every
//! file.
//!
//! Crash safety comes from the order of writes, each atomic: the output, then its record, then
//! (at the end) the report. A run killed at any moment leaves finished outputs with or without
//! their record (without one, the file is redone, byte for byte the same, which may meet the
//! unrecorded copy) and no partial file
//! under a real name; its temporary files are cleared by the next run.

use crate::config::Settings;
use crate::fsutil::{clear_abandoned_temporaries, write_atomically, Placing};
use crate::hashing::{sha256_file, sha256_hex};
use crate::infer::{Batching, Device, ModelFile};
use crate::job::FileJob;
use crate::report::{FileResult, Status};
use anyhow::{anyhow, Context, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const RECORDS_DIR: &str = ".phi-redact/done";

pub struct Manifest {
    out_dir: PathBuf,
    /// This run's fingerprint, less this program's hash.
    partial: Fingerprint,
    /// The whole fingerprint, worked out when first needed: hashing this program's tens of
    /// megabytes takes as long as loading a model, and a fresh run needs it only once its
    /// first file is done (dev set: 0.1 s less than hashing while the models load).
    whole: OnceLock<Result<Fingerprint, String>>,
    /// Whether an earlier result may stand for a file (not with `--force`, nor when the report
    /// is to hold the text read, which records never hold).
    reuse_results: bool,
}

/// What a run does with a file, given what an earlier one left.
#[derive(Debug)]
pub enum Precedent {
    /// The copy an earlier run wrote is still the one this run would write: its result, as an
    /// `unchanged` file.
    Unchanged(Box<FileResult>),
    /// The file is analysed and its copy placed so.
    Redo(Placing),
}

/// Read back with unknown fields refused: a record this program did not write stands for
/// nothing (its output is then left alone, see [`Manifest::precedent`]).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    input: String,
    input_sha256: String,
    made_by: Fingerprint,
    result: FileResult,
}

/// What an output depends on besides its input: the settings that shape it (not how many
/// workers ran or whether they shared the face network, nor what the review page shows), the
/// models, the device that ran them, and this program's own bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fingerprint {
    pub settings_sha256: String,
    pub model_sha256s: Vec<String>,
    pub device: String,
    pub program_sha256: String,
}

impl Fingerprint {
    /// All but `program_sha256`, which the manifest fills in when it first needs it.
    pub fn of_this_run(settings: &Settings, models: &[ModelFile], device: Device) -> Result<Self> {
        let shaping = Settings { jobs: 0, batching: Batching::default(), report_originals: false, ..settings.clone() };
        Ok(Self {
            settings_sha256: sha256_hex(serde_json::to_string(&shaping)?.as_bytes()),
            model_sha256s: models.iter().map(|m| m.sha256.clone()).collect(),
            device: serde_json::to_string(&device)?,
            program_sha256: String::new(),
        })
    }
}

/// The sha256 of this program's file.
fn this_program_sha256() -> Result<String> {
    sha256_file(&std::env::current_exe().context("cannot find this program's file")?)
}

impl Manifest {
    /// Opens (creating) the records under `out_dir`, and clears what killed runs left behind.
    /// `fingerprint`: this run's, from [`Fingerprint::of_this_run`]. Every run keeps records,
    /// which tell its copies from other files; `reuse_results` says whether it may take them
    /// instead of redoing a file.
    pub fn open(out_dir: &Path, fingerprint: Fingerprint, reuse_results: bool) -> Result<Self> {
        let records = out_dir.join(RECORDS_DIR);
        std::fs::create_dir_all(&records).with_context(|| format!("cannot create {}", records.display()))?;
        clear_abandoned_temporaries(out_dir)?;
        Ok(Self { out_dir: out_dir.to_path_buf(), partial: fingerprint, whole: OnceLock::new(), reuse_results })
    }

    fn fingerprint(&self) -> Result<&Fingerprint> {
        let whole = self.whole.get_or_init(|| {
            let program_sha256 = this_program_sha256().map_err(|error| format!("{error:#}"))?;
            Ok(Fingerprint { program_sha256, ..self.partial.clone() })
        });
        whole.as_ref().map_err(|error| anyhow!("{error}"))
    }

    /// What an earlier run left at `job`'s output, and so what this run does with it. A file
    /// there is replaced only when its record says this program wrote it, byte for byte;
    /// anything else there may be met only by the same bytes (a copy written by a run killed
    /// before its record, redone) and is otherwise left alone (see [`Placing::New`]).
    pub fn precedent(&self, job: &FileJob) -> Precedent {
        let Some(output) = &job.output else { return Precedent::Redo(Placing::New) };
        let record: Option<Record> = self.record_path(job).and_then(|path| serde_json::from_slice(&std::fs::read(path).ok()?).ok());
        let Some(record) = record.filter(|r| r.result.output_sha256.is_some() && r.result.output_sha256 == sha256_file(output).ok()) else {
            return Precedent::Redo(Placing::New);
        };
        let unchanged_input = record.input == job.input.display().to_string() && sha256_file(&job.input).ok() == Some(record.input_sha256);
        let same_making = self.fingerprint().ok() == Some(&record.made_by);
        if self.reuse_results && unchanged_input && same_making {
            Precedent::Unchanged(Box::new(FileResult {
                result_status: Some(record.result.status),
                status: Status::Unchanged,
                ..record.result
            }))
        } else {
            Precedent::Redo(Placing::Replace)
        }
    }

    /// Records a file whose output is written; other outcomes are tried again next time.
    pub fn record(&self, job: &FileJob, result: &FileResult) -> Result<()> {
        let finished = matches!(result.status, Status::Redacted | Status::NeedsReview | Status::Clean);
        let (Some(path), Some(input_sha256), true) = (self.record_path(job), result.input_sha256.clone(), finished) else {
            return Ok(());
        };
        let record = Record {
            input: job.input.display().to_string(),
            input_sha256,
            made_by: self.fingerprint()?.clone(),
            result: result.clone().without_private_text(),
        };
        write_atomically(&path, &serde_json::to_vec(&record)?)
    }

    fn record_path(&self, job: &FileJob) -> Option<PathBuf> {
        record_path(&self.out_dir, job.output.as_ref()?)
    }
}

/// One record per output, named by the output's path inside the output folder.
fn record_path(out_dir: &Path, output: &Path) -> Option<PathBuf> {
    let relative = output.strip_prefix(out_dir).ok()?;
    Some(out_dir.join(RECORDS_DIR).join(format!("{}.json", sha256_hex(relative.to_string_lossy().as_bytes()))))
}

/// After `apply` re-rendered an output or recorded a review: the output's record, if it has one,
/// takes the new result, so a later run keeps the reviewed copy instead of redoing it.
pub fn update_recorded_result(out_dir: &Path, output: &Path, result: FileResult) -> Result<()> {
    let Some(path) = record_path(out_dir, output) else { return Ok(()) };
    let Ok(bytes) = std::fs::read(&path) else { return Ok(()) };
    let record: Record = serde_json::from_slice(&bytes).with_context(|| format!("unreadable record {}", path.display()))?;
    write_atomically(&path, &serde_json::to_vec(&Record { result: result.without_private_text(), ..record })?)
}
