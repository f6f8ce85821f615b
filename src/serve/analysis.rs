//! The queue of uploads and the one thread that analyses them, one after another, through the
//! engines loaded at start (the same pool, pipeline and report as `redact`): a video's frames
//! or a photo's passes keep every core busy, and the async side never waits on a model.

use super::uploads::{UploadId, Uploads};
use crate::batch::{discover, run_parallel, OutputPlan};
use crate::config::Settings;
use crate::dicom::UidKey;
use crate::engine_pool::EnginePool;
use crate::infer::ModelFile;
use crate::report::{FileResult, Report, RuntimeInfo, THUMBNAIL_DIR};
use anyhow::{Context, Result};
use indicatif::ProgressBar;
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// What analyses uploads: the engines, the settings every run uses, and what reports record.
pub struct Analysis {
    pub engines: EnginePool<'static>,
    pub settings: Settings,
    pub runtime: RuntimeInfo,
    pub models: Vec<ModelFile>,
}

/// Where an upload is in its analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Queued,
    Running,
    /// Its report is written: the report says how it ended.
    Finished,
}

/// The uploads known to this server, in the order they came, and the stage of each, shared
/// with the analysing thread.
#[derive(Clone)]
pub struct Queue {
    stages: Arc<Mutex<Vec<(UploadId, Stage)>>>,
    waiting: Sender<UploadId>,
}

impl Queue {
    /// Starts the analysing thread, and queues again the earlier uploads left unfinished.
    pub fn start(analysis: Analysis, uploads: Uploads) -> Result<Self> {
        let (waiting, next) = channel::<UploadId>();
        let stages: Arc<Mutex<Vec<(UploadId, Stage)>>> = Arc::default();
        let queue = Self { stages: Arc::clone(&stages), waiting };
        let earlier = uploads.earlier()?;
        let kept = uploads.clone();
        std::thread::Builder::new().name("analysis".into()).spawn(move || {
            for id in next {
                set_stage(&stages, &id, Stage::Running);
                if let Err(error) = analysis.redact(&kept, &id) {
                    // Not even a failed report could be written (the disk is full): the upload
                    // stays without one, and `GET` says so.
                    eprintln!("phi-redact: upload {}: {error:#}", id.as_str());
                }
                set_stage(&stages, &id, Stage::Finished);
            }
        })?;
        for (id, finished) in earlier {
            match finished {
                true => set_stage(&queue.stages, &id, Stage::Finished),
                false => {
                    uploads.forget_run(&id)?;
                    queue.push(id);
                }
            }
        }
        Ok(queue)
    }

    pub fn push(&self, id: UploadId) {
        set_stage(&self.stages, &id, Stage::Queued);
        // The thread lives as long as the process: a send cannot fail.
        let _ = self.waiting.send(id);
    }

    pub fn stage(&self, id: &UploadId) -> Option<Stage> {
        lock(&self.stages).iter().find(|(known, _)| known == id).map(|(_, stage)| *stage)
    }

    /// Every upload known, oldest first.
    pub fn all(&self) -> Vec<(UploadId, Stage)> {
        lock(&self.stages).clone()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn set_stage(stages: &Mutex<Vec<(UploadId, Stage)>>, id: &UploadId, stage: Stage) {
    let mut stages = lock(stages);
    match stages.iter_mut().find(|(known, _)| known == id) {
        Some((_, known_stage)) => *known_stage = stage,
        None => stages.push((id.clone(), stage)),
    }
}

impl Analysis {
    /// One upload redacted into its copy folder, with its report beside that folder; an upload
    /// that cannot be analysed gets a report saying why, as in a batch.
    fn redact(&self, uploads: &Uploads, id: &UploadId) -> Result<()> {
        let started = Instant::now();
        let report_path = uploads.report_path(id);
        let copy_dir = uploads.copy_dir(id);
        let original = uploads.original(id).context("the original is missing")?;
        let settings = Settings {
            thumbnail_dir: Some(report_path.with_file_name(THUMBNAIL_DIR)),
            dicom_uids: Some(UidKey::fresh()?),
            ..self.settings.clone()
        };
        let plan = OutputPlan { dir: &copy_dir, strip_audio: settings.video.strip_audio, image_format: settings.image_format };
        let files = discover(std::slice::from_ref(&original), Some(plan)).and_then(|discovery| {
            let hidden = ProgressBar::hidden();
            let mut files = run_parallel(&discovery.jobs, settings.jobs, &self.engines, &settings, None, &hidden, &|_| {})?;
            files.extend(discovery.problems);
            Ok(files)
        });
        let files = files.unwrap_or_else(|error| vec![FileResult::failed(&original, format!("{error:#}"))]);
        let report = Report {
            output_directory: Some(copy_dir.display().to_string()),
            ..Report::new(self.runtime.clone(), self.models.clone(), settings, files, started.elapsed().as_secs_f64())
        };
        crate::review::write_report(&report, &report_path)
    }
}
