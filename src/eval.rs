//! `phi-redact eval`: face and PHI-text recall on a labelled image set, so users can validate
//! the tool on their own photos and scans. A labelled face or PHI string counts as redacted
//! when the redacted areas cover at least `COVERED_SHARE` of its box.

use crate::analyse::analyse_as_seen;
use crate::config::Settings;
use crate::detect::RegionKind;
use crate::engines::Analyser;
use crate::geometry::BBox;
use crate::pipeline::decode_file;
use crate::redact::Redaction;
use crate::report::Timings;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::fmt;
use std::path::Path;
use std::time::Instant;

pub const COVERED_SHARE: f32 = 0.8;
/// A redaction "matches" a label when it covers at least this share of the labelled box.
const MATCH_SHARE: f32 = 0.25;

#[derive(Debug, Deserialize)]
struct Labels {
    images: Vec<LabelledImage>,
}

#[derive(Debug, Deserialize)]
struct LabelledImage {
    file: String,
    /// `None`: this image is not face-labelled and is left out of the face figures.
    faces: Option<Vec<[f32; 4]>>,
    #[serde(default)]
    phi_text: Vec<PhiLabel>,
}

#[derive(Debug, Deserialize)]
struct PhiLabel {
    #[serde(rename = "box")]
    bbox: [f32; 4],
    #[serde(default)]
    kind: String,
}

#[derive(Debug, Default)]
pub struct ImageScore {
    pub file: String,
    pub faces: usize,
    pub covered: usize,
    pub unmatched_redactions: usize,
    pub millis: f64,
    pub missed: Vec<[f32; 4]>,
    pub phi: usize,
    pub phi_covered: usize,
    /// Kind and box of each PHI string left legible.
    pub missed_phi: Vec<(String, [f32; 4])>,
    /// Text boxed where no PHI was labelled.
    pub false_text_flags: usize,
}

#[derive(Debug, Default)]
pub struct EvalSummary {
    pub images: Vec<ImageScore>,
}

impl EvalSummary {
    pub fn faces(&self) -> usize {
        self.images.iter().map(|i| i.faces).sum()
    }

    pub fn covered(&self) -> usize {
        self.images.iter().map(|i| i.covered).sum()
    }

    pub fn recall(&self) -> f64 {
        self.covered() as f64 / self.faces().max(1) as f64
    }

    pub fn unmatched_redactions(&self) -> usize {
        self.images.iter().map(|i| i.unmatched_redactions).sum()
    }

    pub fn phi(&self) -> usize {
        self.images.iter().map(|i| i.phi).sum()
    }

    pub fn phi_covered(&self) -> usize {
        self.images.iter().map(|i| i.phi_covered).sum()
    }

    pub fn false_text_flags(&self) -> usize {
        self.images.iter().map(|i| i.false_text_flags).sum()
    }
}

pub fn evaluate(labels_path: &Path, root: &Path, engines: &mut dyn Analyser, settings: &Settings) -> Result<EvalSummary> {
    let text = std::fs::read_to_string(labels_path).with_context(|| format!("cannot read {}", labels_path.display()))?;
    let labels: Labels = serde_json::from_str(&text).with_context(|| format!("{} is not a labels file", labels_path.display()))?;
    let mut summary = EvalSummary::default();
    for item in labels.images {
        let started = Instant::now();
        let image = decode_file(&root.join(&item.file), settings)?;
        let findings = analyse_as_seen(&image.pixels, engines, settings, &mut Timings::default())?;
        let redacted =
            |kinds: &[RegionKind]| -> Vec<Redaction> { findings.iter().filter(|f| kinds.contains(&f.kind)).map(|f| f.redacted).collect() };
        // PHI text can be boxed as text, inside a barcode or on a plate.
        let (face_areas, text_areas) =
            (redacted(&[RegionKind::Face]), redacted(&[RegionKind::Text, RegionKind::Barcode, RegionKind::Plate]));
        let mut score = ImageScore { file: item.file, millis: started.elapsed().as_secs_f64() * 1000.0, ..Default::default() };
        if let Some(faces) = item.faces {
            let label_boxes: Vec<BBox> = faces.iter().copied().map(BBox::from_xywh).collect();
            score.faces = faces.len();
            for (label, xywh) in label_boxes.iter().zip(&faces) {
                if covered_share(label, &face_areas) >= COVERED_SHARE {
                    score.covered += 1;
                } else {
                    score.missed.push(*xywh);
                }
            }
            score.unmatched_redactions = unmatched(&face_areas, &label_boxes);
        }
        let phi_boxes: Vec<BBox> = item.phi_text.iter().map(|p| BBox::from_xywh(p.bbox)).collect();
        score.phi = phi_boxes.len();
        for (label, phi) in phi_boxes.iter().zip(&item.phi_text) {
            if covered_share(label, &text_areas) >= COVERED_SHARE {
                score.phi_covered += 1;
            } else {
                score.missed_phi.push((phi.kind.clone(), phi.bbox));
            }
        }
        score.false_text_flags = unmatched(&text_areas, &phi_boxes);
        summary.images.push(score);
    }
    Ok(summary)
}

/// Redactions covering less than `MATCH_SHARE` of every label.
fn unmatched(redacted: &[Redaction], labels: &[BBox]) -> usize {
    redacted
        .iter()
        .filter(|r| !labels.iter().any(|l| l.area() > 0.0 && l.intersection(&r.rect.to_bbox()) >= MATCH_SHARE * l.area()))
        .count()
}

/// Share of the label's whole pixels lying under at least one redacted area; an empty label
/// counts as not covered, so a bad label never raises recall.
fn covered_share(label: &BBox, redacted: &[Redaction]) -> f32 {
    let (x0, y0) = (label.x0.floor().max(0.0) as u32, label.y0.floor().max(0.0) as u32);
    let (x1, y1) = (label.x1.ceil().max(0.0) as u32, label.y1.ceil().max(0.0) as u32);
    let total = u64::from(x1.saturating_sub(x0)) * u64::from(y1.saturating_sub(y0));
    if total == 0 {
        return 0.0;
    }
    let covered = (y0..y1).flat_map(|y| (x0..x1).map(move |x| (x, y))).filter(|&(x, y)| redacted.iter().any(|r| r.contains(x, y))).count();
    covered as f32 / total as f32
}

impl fmt::Display for EvalSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for image in &self.images {
            writeln!(
                f,
                "{:<60} faces {:>3}/{:<3} unmatched {:>3}  PHI text {:>2}/{:<2} false flags {:>2}  {:>7.0} ms",
                image.file,
                image.covered,
                image.faces,
                image.unmatched_redactions,
                image.phi_covered,
                image.phi,
                image.false_text_flags,
                image.millis
            )?;
            for missed in &image.missed {
                writeln!(f, "    missed face at [x {:.0}, y {:.0}, w {:.0}, h {:.0}]", missed[0], missed[1], missed[2], missed[3])?;
            }
            for (kind, b) in &image.missed_phi {
                writeln!(f, "    missed PHI text ({kind}) at [x {:.0}, y {:.0}, w {:.0}, h {:.0}]", b[0], b[1], b[2], b[3])?;
            }
        }
        let millis: f64 = self.images.iter().map(|i| i.millis).sum();
        writeln!(f, "face recall {:.1}% ({}/{})", 100.0 * self.recall(), self.covered(), self.faces())?;
        writeln!(f, "face redactions matching no label {}", self.unmatched_redactions())?;
        let phi_recall = 100.0 * self.phi_covered() as f64 / self.phi().max(1) as f64;
        writeln!(f, "PHI text recall {:.1}% ({}/{})", phi_recall, self.phi_covered(), self.phi())?;
        writeln!(f, "text redactions matching no PHI label {}", self.false_text_flags())?;
        write!(f, "time per image {:.0} ms ({} images)", millis / self.images.len().max(1) as f64, self.images.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::PixelRect;
    use crate::redact::{RedactionMode, Shape};

    #[test]
    fn coverage_counts_the_union_of_rectangles() {
        let label = BBox { x0: 0.0, y0: 0.0, x1: 10.0, y1: 10.0 };
        let area = |x| Redaction { rect: PixelRect { x, y: 0, width: 5, height: 10 }, mode: RedactionMode::Box, shape: Shape::Rectangle };
        let (left, right) = (area(0), area(5));
        assert_eq!(covered_share(&label, &[left]), 0.5);
        assert_eq!(covered_share(&label, &[left, right]), 1.0);
        assert_eq!(covered_share(&label, &[left, left]), 0.5, "overlaps count once");
        assert_eq!(covered_share(&label, &[]), 0.0);
        let ellipse = Redaction { rect: PixelRect { x: 0, y: 0, width: 10, height: 10 }, mode: RedactionMode::Blur, shape: Shape::Ellipse };
        let share = covered_share(&label, &[ellipse]);
        assert!((0.7..0.85).contains(&share), "an inscribed ellipse covers about pi/4: {share}");
    }
}
