//! Many files: discovering inputs, mirroring their paths under the output directory, and
//! running the pipeline over them in parallel, the worker threads sharing the models.

use crate::config::{ImageFormatChoice, Settings};
use crate::engine_pool::EnginePool;
use crate::fsutil::{file_id, Placing};
use crate::job::FileJob;
use crate::media::{named_like_video, sniff_file, MediaKind, StillFormat};
use crate::pipeline::process_file;
use crate::report::FileResult;
use crate::resume::{Manifest, Precedent};
use crate::video;
use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What discovery found: files to process, and inputs already settled: failed (missing paths,
/// unreadable folders, two inputs that would write the same output) or skipped (links).
#[derive(Debug, Default)]
pub struct Discovery {
    pub jobs: Vec<FileJob>,
    pub problems: Vec<FileResult>,
}

/// Where the redacted copies go: the output folder, and whether videos lose their audio (what
/// a video's audio is decides its container, and so its copy's name).
#[derive(Debug, Clone, Copy)]
pub struct OutputPlan<'a> {
    pub dir: &'a Path,
    pub strip_audio: bool,
    pub image_format: ImageFormatChoice,
}

/// Walks the inputs and names every copy before anything is written. A file given directly
/// lands as `OUT/<file name>`; files found under a directory keep their path relative to it;
/// a video's copy takes its container's extension. `OUT` itself is never walked, so
/// re-running with the output inside an input folder does not redact the redacted copies.
pub fn discover(inputs: &[PathBuf], outputs: Option<OutputPlan>) -> Result<Discovery> {
    let out_dir = outputs.map(|plan| plan.dir);
    let out_canonical = match out_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create output directory {}", dir.display()))?;
            Some(dir.canonicalize()?)
        }
        None => None,
    };
    let is_out_dir = |path: &Path| out_canonical.is_some() && path.canonicalize().ok() == out_canonical;
    let mut found = Discovery::default();
    for input in inputs {
        let metadata = match std::fs::metadata(input) {
            Ok(m) => m,
            Err(e) => {
                found.problems.push(FileResult::failed(input, format!("cannot open input: {e}")));
                continue;
            }
        };
        if metadata.is_file() {
            let name = input.file_name().context("input file has no name")?;
            found.jobs.push(FileJob { input: input.clone(), output: out_dir.map(|dir| dir.join(name)), ..FileJob::default() });
            continue;
        }
        if !metadata.is_dir() {
            found.problems.push(FileResult::failed(input, "not a regular file or directory".into()));
            continue;
        }
        if is_out_dir(input) {
            bail!("--out {} is also an input directory; choose a separate output folder", input.display());
        }
        let walk = walkdir::WalkDir::new(input)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !(e.file_type().is_dir() && is_out_dir(e.path())));
        for entry in walk {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let relative = e.path().strip_prefix(input).unwrap_or(e.path());
                    let output = out_dir.map(|dir| dir.join(relative));
                    found.jobs.push(FileJob { input: e.path().to_path_buf(), output, ..FileJob::default() });
                }
                // Links are not followed (they can loop or leave the tree); say so rather
                // than drop them silently. Give the target itself to process it.
                Ok(e) if e.path_is_symlink() => {
                    found.problems.push(FileResult::skipped(e.path(), "symbolic link, not followed".into()));
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| input.clone());
                    found.problems.push(FileResult::failed(&path, format!("cannot read: {e}")));
                }
            }
        }
    }
    if let Some(plan) = outputs {
        found.name_converted_copies(plan);
    }
    found.reject_output_collisions();
    Ok(found)
}

impl Discovery {
    /// A copy written in another format than its input's is named for it: a video's for the
    /// container it will be written in (see [`video::output_path`]), a still image's for the
    /// format `--image-format` and its content call for (a HEIF photo becomes a JPEG).
    fn name_converted_copies(&mut self, plan: OutputPlan) {
        for job in &mut self.jobs {
            let Some(mirrored) = job.output.as_mut() else { continue };
            if named_like_video(&job.input) {
                *mirrored = video::output_path(&job.input, mirrored, plan.strip_audio);
            } else if let Ok(MediaKind::Image(still)) = sniff_file(&job.input) {
                let copy = plan.image_format.copy_format(still.own_copy_format());
                if still != StillFormat::Raster(copy) {
                    mirrored.set_extension(copy.extensions_str()[0]);
                }
            }
        }
    }

    /// Two inputs whose copies would take one name (`a/x.jpg` and `b/x.jpg` given as files;
    /// `clip.avi` and `clip.mp4`, both copied as MP4), or a copy that would take the place of an
    /// input (the same file by device and inode, however its path is spelt): the later input
    /// fails instead. A copy that keeps its input's name goes first, so `clip.mp4`'s copy is
    /// `clip.mp4` and `clip.avi` is the one refused.
    fn reject_output_collisions(&mut self) {
        let inputs: HashMap<(u64, u64), PathBuf> =
            self.jobs.iter().filter_map(|job| Some((file_id(&job.input)?, job.input.clone()))).collect();
        let keeps_name = |job: &FileJob| job.output.as_ref().is_none_or(|output| output.file_name() == job.input.file_name());
        let mut order: Vec<usize> = (0..self.jobs.len()).collect();
        order.sort_by_key(|&i| !keeps_name(&self.jobs[i]));
        let mut first_writer: HashMap<PathBuf, PathBuf> = HashMap::new();
        let mut refused = vec![false; self.jobs.len()];
        for i in order {
            let job = &self.jobs[i];
            let Some(output) = &job.output else { continue };
            let why = if let Some(first) = first_writer.get(output) {
                format!("output {} is already written for {}", output.display(), first.display())
            } else if let Some(input) = file_id(output).and_then(|id| inputs.get(&id)) {
                format!("its copy {} would take the place of the input {}, which is never overwritten", output.display(), input.display())
            } else {
                first_writer.insert(output.clone(), job.input.clone());
                continue;
            };
            self.problems.push(FileResult::failed(&job.input, why));
            refused[i] = true;
        }
        let mut refused = refused.into_iter();
        self.jobs.retain(|_| !refused.next().unwrap_or(false));
    }
}

/// Runs every job on `workers` threads; results come back in the order of `jobs`. Reading,
/// decoding, redacting and encoding run in parallel; each model call borrows one of the
/// `engines`' sets (the command decides how many there are). With a `manifest`,
/// files an earlier run finished are not redone, and each file finished now is recorded.
pub fn run_parallel(
    jobs: &[FileJob],
    workers: usize,
    engines: &EnginePool,
    settings: &Settings,
    manifest: Option<&Manifest>,
    progress: &ProgressBar,
    on_done: &(dyn Fn(&FileResult) + Sync),
) -> Result<Vec<FileResult>> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(workers.max(1)).build()?;
    let frames = AtomicU64::new(0);
    let frames_done = |n: u64| progress.set_message(format!(", {} video frames", frames.fetch_add(n, Ordering::Relaxed) + n));
    // The most work first, each worker taking the next file as it gets free, so that no large
    // file is left to finish alone while the other cores idle.
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_cached_key(|&i| std::cmp::Reverse(work_estimate(&jobs[i].input)));
    let mut results: Vec<(usize, FileResult)> = pool.install(|| {
        order
            .into_iter()
            .par_bridge()
            .map(|i| {
                let job = &jobs[i];
                let result = match manifest.map_or(Precedent::Redo(Placing::New), |m| m.precedent(job)) {
                    Precedent::Unchanged(result) => *result,
                    Precedent::Redo(placing) => {
                        let job = FileJob { placing, ..job.clone() };
                        let result = process_file(&job, engines, settings, &frames_done);
                        if let Err(error) = manifest.map_or(Ok(()), |m| m.record(&job, &result)) {
                            // The output stands; without its record the next run merely redoes it.
                            progress.suspend(|| eprintln!("phi-redact: warning: {}: {error:#}", job.input.display()));
                        }
                        result
                    }
                };
                on_done(&result);
                progress.inc(1);
                (i, result)
            })
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    Ok(results.into_iter().map(|(_, result)| result).collect())
}

/// How much work a file is, to order a batch by: videos (many frames each) before images, by
/// size; images by pixel count, from their header (on the dev set a 1.1-MP PNG of a typed
/// page is smaller on disk than 0.2-MP photos, and takes three times longer). A file that
/// cannot be read counts as no work: it fails at once.
fn work_estimate(path: &Path) -> (bool, u64) {
    if named_like_video(path) {
        return (true, std::fs::metadata(path).map_or(0, |m| m.len()));
    }
    let pixels = image::ImageReader::open(path)
        .and_then(|reader| reader.with_guessed_format())
        .ok()
        .and_then(|reader| reader.into_dimensions().ok())
        .map_or(0, |(width, height)| u64::from(width) * u64::from(height));
    (false, pixels)
}

/// A progress bar on stderr when it is a terminal; hidden otherwise or with `--quiet`.
pub fn progress_bar(files: usize, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} files{msg} ({per_sec}, eta {eta})")
            .expect("valid progress template"),
    );
    bar
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::{Barcode, Region, ScalePlan};
    use crate::engines::Analyser;
    use crate::geometry::Quad;
    use crate::ocr::ReadText;
    use crate::phi::{Assessment, TextLine};
    use std::sync::Mutex;

    fn plan(dir: &Path) -> OutputPlan<'_> {
        OutputPlan { dir, strip_audio: false, image_format: ImageFormatChoice::Keep }
    }

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"x").unwrap();
    }

    #[test]
    fn directories_are_mirrored_files_land_by_name_and_the_output_folder_is_not_walked() {
        let root = tempfile::tempdir().unwrap();
        let photos = root.path().join("photos");
        touch(&photos.join("ward/a.jpg"));
        touch(&photos.join("b.png"));
        touch(&photos.join("out/old-redacted.jpg"));
        touch(&root.path().join("single.jpg"));
        let out = photos.join("out");

        let found = discover(&[photos.clone(), root.path().join("single.jpg")], Some(plan(&out))).unwrap();
        let pairs: Vec<_> = found.jobs.iter().map(|j| (j.input.clone(), j.output.clone())).collect();
        assert_eq!(
            pairs,
            vec![
                (photos.join("b.png"), Some(out.join("b.png"))),
                (photos.join("ward/a.jpg"), Some(out.join("ward/a.jpg"))),
                (root.path().join("single.jpg"), Some(out.join("single.jpg"))),
            ]
        );
        assert!(found.problems.is_empty());
    }

    #[test]
    fn missing_inputs_and_colliding_outputs_are_reported_not_fatal() {
        let root = tempfile::tempdir().unwrap();
        touch(&root.path().join("a/x.jpg"));
        touch(&root.path().join("b/x.jpg"));
        let inputs = [root.path().join("a/x.jpg"), root.path().join("b/x.jpg"), root.path().join("nope.jpg")];
        let found = discover(&inputs, Some(plan(&root.path().join("out")))).unwrap();
        assert_eq!(found.jobs.len(), 1);
        assert_eq!(found.problems.len(), 2);
        assert!(found.problems.iter().any(|p| p.reason.as_deref().unwrap().contains("already written")));
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_folders_are_listed_as_skipped_not_followed() {
        let root = tempfile::tempdir().unwrap();
        touch(&root.path().join("photos/a.jpg"));
        std::os::unix::fs::symlink(root.path().join("photos"), root.path().join("photos/loop")).unwrap();
        let found = discover(&[root.path().join("photos")], Some(plan(&root.path().join("out")))).unwrap();
        assert_eq!(found.jobs.len(), 1);
        assert_eq!(found.problems.len(), 1);
        assert_eq!(found.problems[0].status, crate::report::Status::Skipped);
    }

    /// Finds nothing and records the order in which it was shown images (by width).
    struct SeesNothing(Mutex<Vec<u32>>);

    impl Analyser for &SeesNothing {
        fn faces(&mut self, image: &image::RgbImage, _: &ScalePlan) -> Result<Vec<Region>> {
            self.0.lock().unwrap().push(image.width());
            Ok(Vec::new())
        }
        fn text_regions(&mut self, _: &image::RgbImage) -> Result<Vec<Region>> {
            Ok(Vec::new())
        }
        fn second_look_text_regions(&mut self, _: &image::RgbImage) -> Result<Vec<Region>> {
            Ok(Vec::new())
        }
        fn second_look_read(&mut self, _: &image::RgbImage, _: &[Quad]) -> Result<Vec<ReadText>> {
            Ok(Vec::new())
        }
        fn read(&mut self, _: &image::RgbImage, lines: &[Quad]) -> Result<Vec<Vec<ReadText>>> {
            Ok(vec![Vec::new(); lines.len()])
        }
        fn score(&mut self, lines: &[TextLine]) -> Result<Vec<Vec<Assessment>>> {
            Ok(vec![Vec::new(); lines.len()])
        }
        fn score_barcode(&mut self, _: &Barcode) -> Option<Assessment> {
            None
        }
        fn plates(&mut self, _: &image::RgbImage, lines: &[TextLine]) -> Vec<Option<Assessment>> {
            vec![None; lines.len()]
        }
    }

    #[test]
    fn the_most_pixels_go_first_and_results_keep_the_jobs_order() {
        let root = tempfile::tempdir().unwrap();
        // Noise does not compress, a flat picture does: the 40-px file is the largest on disk.
        let jobs: Vec<FileJob> = [(40u32, true), (400, false), (4, true)]
            .iter()
            .map(|&(side, noisy)| {
                let input = root.path().join(format!("{side}.png"));
                let noise = |x: u32, y: u32| if noisy { ((x * 7919 + y * 104729) % 251) as u8 } else { 128 };
                image::RgbImage::from_fn(side, side, |x, y| image::Rgb([noise(x, y), noise(y, x), noise(x + 1, y)])).save(&input).unwrap();
                FileJob { input, ..FileJob::default() }
            })
            .collect();
        let size = |job: &FileJob| std::fs::metadata(&job.input).unwrap().len();
        assert!(size(&jobs[0]) > size(&jobs[1]), "the flat 400-px file is smaller on disk");
        let analyser = SeesNothing(Mutex::new(Vec::new()));
        let settings = Settings { text: crate::config::TextMode::Off, ..Settings::default() };
        let results =
            run_parallel(&jobs, 1, &EnginePool::new(vec![Box::new(&analyser)]), &settings, None, &ProgressBar::hidden(), &|_| {}).unwrap();
        assert_eq!(*analyser.0.lock().unwrap(), [400, 40, 4], "analysed by pixel count, the most first");
        let inputs: Vec<&str> = results.iter().map(|r| r.input.as_str()).collect();
        let expected: Vec<String> = jobs.iter().map(|j| j.input.display().to_string()).collect();
        assert_eq!(inputs, expected);
    }

    #[test]
    fn the_output_folder_cannot_be_an_input_folder() {
        let root = tempfile::tempdir().unwrap();
        assert!(discover(&[root.path().to_path_buf()], Some(plan(root.path()))).is_err());
    }
}
