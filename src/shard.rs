//! Sharding one library over many processes or machines (a Kubernetes Indexed Job): each shard
//! takes the inputs whose path hashes to it, writes its outputs into the shared output folder
//! and a report part of its own, and `merge-reports` puts the parts back together into the
//! report a single process would have written.

use crate::batch::Discovery;
use crate::hashing::sha256_hex;
use crate::job::FileJob;
use crate::report::{Report, DEFAULT_REPORT_NAME};
use crate::review;
use anyhow::{bail, ensure, Context, Result};
use std::path::{Path, PathBuf};

/// Kubernetes sets this in each pod of an Indexed Job: the pod's index, from 0.
pub const INDEX_ENV: &str = "JOB_COMPLETION_INDEX";

/// Shard `index` of `count`, from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// `--shard I/N`, or else, with `--shards N`, the index Kubernetes gives the pod.
    pub fn choose(explicit: Option<Shard>, count: Option<u32>) -> Result<Option<Shard>> {
        if explicit.is_some() {
            return Ok(explicit);
        }
        let Some(count) = count else { return Ok(None) };
        let index = std::env::var(INDEX_ENV).with_context(|| format!("--shards {count} needs --shard I/{count} or ${INDEX_ENV}"))?;
        Self::new(index.trim().parse().with_context(|| format!("${INDEX_ENV} is not a number: {index:?}"))?, count)
    }

    pub fn new(index: u32, count: u32) -> Result<Option<Shard>> {
        ensure!(count >= 1 && index < count, "shard {index} of {count} does not exist (shards are numbered from 0)");
        Ok(Some(Shard { index, count }))
    }

    /// Keeps this shard's share of what discovery found, and returns, for each file it keeps
    /// (jobs, then problems, the order of the report), its position in the whole report.
    /// The share depends only on each file's path below the output folder (`out_dir`), so
    /// every shard, on any machine, agrees on it.
    pub fn keep(self, discovery: &mut Discovery, out_dir: &Path) -> Vec<usize> {
        let mine = |path: &Path| {
            let digest = sha256_hex(path.to_string_lossy().as_bytes());
            u64::from_str_radix(&digest[..15], 16).map_or(0, |n| n % u64::from(self.count)) == u64::from(self.index)
        };
        // The output's path inside the output folder, however that folder is spelled.
        let job_key = |job: &FileJob| match &job.output {
            Some(output) => output.strip_prefix(out_dir).unwrap_or(output).to_path_buf(),
            None => job.input.clone(),
        };
        let jobs = std::mem::take(&mut discovery.jobs);
        let problems = std::mem::take(&mut discovery.problems);
        let total_jobs = jobs.len();
        let mut positions = Vec::new();
        for (position, job) in jobs.into_iter().enumerate() {
            if mine(&job_key(&job)) {
                positions.push(position);
                discovery.jobs.push(job);
            }
        }
        for (position, problem) in problems.into_iter().enumerate() {
            if mine(Path::new(&problem.input)) {
                positions.push(total_jobs + position);
                discovery.problems.push(problem);
            }
        }
        positions
    }

    /// The report part's file name: `phi-redact-report.shard-I-of-N.json` beside `report`.
    pub fn part_path(self, report: &Path) -> PathBuf {
        let stem = report.file_stem().map_or_else(|| "phi-redact-report".into(), |s| s.to_string_lossy().into_owned());
        report.with_file_name(format!("{stem}.shard-{}-of-{}.json", self.index, self.count))
    }
}

/// `--shard I/N`.
pub fn parse_shard(text: &str) -> Result<Shard, String> {
    let (index, count) = text.split_once('/').ok_or("expected I/N, such as 0/4")?;
    let number = |s: &str| s.trim().parse::<u32>().map_err(|_| format!("{s:?} is not a number"));
    Shard::new(number(index)?, number(count)?).map_err(|e| e.to_string())?.ok_or_else(|| "no shard".into())
}

/// Merges the report parts in `dir` into `dir/phi-redact-report.json` and its review page.
pub fn merge_reports(dir: &Path) -> Result<PathBuf> {
    let mut parts = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.starts_with("phi-redact-report.shard-") && name.ends_with(".json") {
            let part = Report::read(&std::fs::read(&path)?).with_context(|| format!("{} is not a report part", path.display()))?;
            let shard = part.shard.clone().with_context(|| format!("{} is not a shard's report part", path.display()))?;
            parts.push((shard, part));
        }
    }
    ensure!(!parts.is_empty(), "no report parts (phi-redact-report.shard-*.json) in {}", dir.display());
    parts.sort_by_key(|(shard, _)| shard.index);
    let count = parts[0].0.count;
    let indices: Vec<u32> = parts.iter().map(|(shard, _)| shard.index).collect();
    if indices != (0..count).collect::<Vec<_>>() || parts.iter().any(|(shard, _)| shard.count != count) {
        bail!("expected the parts of shards 0 to {} of {count}, found shards {indices:?}", count.saturating_sub(1));
    }
    let made_by = |part: &Report| serde_json::to_value((&part.tool, &part.models, &part.settings));
    let first = made_by(&parts[0].1)?;
    for (shard, part) in &parts[1..] {
        ensure!(made_by(part)? == first, "shard {} ran with another program, models or settings than shard 0", shard.index);
    }
    let mut placed = Vec::new();
    let mut audit = Vec::new();
    for (shard, part) in &parts {
        ensure!(shard.positions.len() == part.files.len(), "shard {}: positions do not match its files", shard.index);
        placed.extend(shard.positions.iter().copied().zip(part.files.iter().cloned()));
        audit.extend(part.audit.iter().cloned());
    }
    placed.sort_by_key(|(position, _)| *position);

    let seconds = parts.iter().map(|(_, part)| part.totals.seconds).fold(0.0, f64::max);
    let mut merged = Report { files: placed.into_iter().map(|(_, file)| file).collect(), audit, shard: None, ..parts.swap_remove(0).1 };
    merged.totals.seconds = seconds;
    merged.recount();
    let path = dir.join(DEFAULT_REPORT_NAME);
    review::write_report(&merged, &path)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::FileResult;

    fn discovery(out: &Path) -> Discovery {
        let jobs = (0..40)
            .map(|i| FileJob { input: format!("in/{i}.png").into(), output: Some(out.join(format!("{i}.png"))), ..FileJob::default() })
            .collect();
        Discovery { jobs, problems: vec![FileResult::failed(Path::new("in/missing.png"), "gone".into())] }
    }

    #[test]
    fn every_file_goes_to_exactly_one_shard_wherever_the_output_folder_is_spelled() {
        let mut seen = vec![0; 41];
        for index in 0..3 {
            let shard = Shard::new(index, 3).unwrap().unwrap();
            let mut mine = discovery(Path::new("/data/out"));
            let positions = shard.keep(&mut mine, Path::new("/data/out"));
            let mut again = discovery(Path::new("out"));
            assert_eq!(shard.keep(&mut again, Path::new("out")), positions, "same share for another spelling of the folder");
            assert_eq!(positions.len(), mine.jobs.len() + mine.problems.len());
            assert!(!mine.jobs.is_empty(), "shard {index} has work");
            positions.iter().for_each(|&p| seen[p] += 1);
        }
        assert!(seen.iter().all(|&n| n == 1), "{seen:?}");
    }

    #[test]
    fn shards_are_numbered_from_zero() {
        assert_eq!(parse_shard("2/3"), Ok(Shard { index: 2, count: 3 }));
        assert!(parse_shard("3/3").is_err() && parse_shard("1").is_err() && parse_shard("0/0").is_err());
    }
}
