//! Analysis of one upright image: faces, barcodes and text found, text read and scored, and
//! for each what to redact and how.

use crate::config::{Settings, TextMode};
use crate::detect::{not_yet_found, weak_faces_only_in_company, BarcodeReader, Region, RegionKind, RxingBarcodes};
use crate::engines::Analyser;
use crate::geometry::Quad;
use crate::media::alpha;
use crate::media::turn::QuarterTurns;
use crate::ocr::ReadText;
use crate::phi::{Assessment, TextLine};
use crate::plates::close_up::{is_a_page, worth_a_closer_look, CloseUp, MAX_CLOSE_UPS};
use crate::redact::{face_redaction, fitted_to_ink, plate_redaction, text_redaction};
use crate::report::{elapsed_ms, Finding, TextDetails, Timings};
use anyhow::Result;
use image::{DynamicImage, RgbImage};
use std::time::Instant;

/// Analyses an image as every viewer may show it (see `media::alpha`): an opaque image once,
/// one with see-through pixels once for each view, a finding that repeats one of an earlier
/// view left out.
pub fn analyse_as_seen(
    pixels: &DynamicImage,
    engines: &mut dyn Analyser,
    settings: &Settings,
    timings: &mut Timings,
) -> Result<Vec<Finding>> {
    let mut findings: Vec<Finding> = Vec::new();
    for view in alpha::views(pixels) {
        let seen = findings.len();
        for finding in analyse(&view, engines, settings, timings)? {
            if !findings[..seen].iter().any(|earlier| earlier.repeats(&finding)) {
                findings.push(finding);
            }
        }
    }
    Ok(findings)
}

pub fn analyse(rgb: &RgbImage, engines: &mut dyn Analyser, settings: &Settings, timings: &mut Timings) -> Result<Vec<Finding>> {
    let mut findings = face_findings(rgb, engines, settings, timings)?;
    if settings.text != TextMode::Off {
        findings.extend(barcode_findings(rgb, engines, settings, timings)?);
        findings.extend(text_findings(rgb, engines, settings, timings)?);
    }
    Ok(findings)
}

fn face_findings(rgb: &RgbImage, engines: &mut dyn Analyser, settings: &Settings, timings: &mut Timings) -> Result<Vec<Finding>> {
    let (width, height) = rgb.dimensions();
    let faces = timed(&mut timings.faces_ms, || engines.faces(rgb, &settings.scale_plan))?;
    let faces = if settings.keep_lone_weak_faces { faces } else { weak_faces_only_in_company(faces) };
    Ok(faces
        .iter()
        .filter(|face| face.score >= settings.face_threshold)
        .filter_map(|face| face_redaction(&face.bbox, width, height, settings.mode).map(|r| Finding::new(face, r, None)))
        .collect())
}

/// Barcodes whose payload carries PHI (or every barcode, when asked), boxed whole.
fn barcode_findings(rgb: &RgbImage, engines: &mut dyn Analyser, settings: &Settings, timings: &mut Timings) -> Result<Vec<Finding>> {
    let (width, height) = rgb.dimensions();
    // Barcode reading needs no model, so it borrows no engines.
    let barcodes = timed(&mut timings.barcodes_ms, || RxingBarcodes.barcodes(rgb))?;
    let mut findings = Vec::new();
    for barcode in &barcodes {
        let region = Region { bbox: barcode.bbox, kind: RegionKind::Barcode, score: 1.0, quad: None };
        let details = engines.score_barcode(barcode).map(|part| details(part, 1.0, &barcode.format, settings));
        let carries_phi = details.as_ref().is_some_and(|d| d.risk >= settings.min_text_risk);
        if carries_phi || settings.redact_all_barcodes || settings.text == TextMode::All {
            findings.extend(
                text_redaction(&region.bbox.outline(), width, height, settings.text_mode).map(|r| Finding::new(&region, r, details)),
            );
        }
    }
    Ok(findings)
}

/// Text regions: every one in the cautious mode; otherwise the parts whose PHI risk reaches
/// `--min-risk`, as read by every reader in use, and the licence plates among them.
fn text_findings(rgb: &RgbImage, engines: &mut dyn Analyser, settings: &Settings, timings: &mut Timings) -> Result<Vec<Finding>> {
    let (width, height) = rgb.dimensions();
    let regions = timed(&mut timings.text_ms, || engines.text_regions(rgb))?;
    if settings.text == TextMode::All {
        return Ok(regions
            .iter()
            .filter_map(|region| {
                let outline = region.quad.unwrap_or_else(|| region.bbox.outline());
                text_redaction(&outline, width, height, settings.text_mode).map(|r| Finding::new(region, r, None))
            })
            .collect());
    }
    let parts = phi_parts(rgb, regions, engines, settings, timings)?;
    let findings = parts
        .into_iter()
        .filter_map(|PhiPart { region, kind, mut part, confidence, engine }| {
            if part.follows_print {
                part.outline = fitted_to_ink(rgb, &part.outline);
            }
            let found = Region { bbox: part.extent(), quad: Some(part.outline), kind, ..region };
            let redaction = match kind {
                RegionKind::Plate => plate_redaction(&found.bbox, width, height, settings.plate_mode),
                _ => text_redaction(&part.outline, width, height, settings.text_mode),
            }?;
            Some(Finding::new(&found, redaction, Some(details(part, confidence, engine, settings))))
        })
        .collect();
    Ok(without_covered(findings))
}

/// An area this much shorter across its line than one covering it lies on another line: the
/// covering area is a block of several lines, whose lines are boxed more closely one by one.
const SAME_LINE_MIN_HEIGHT: f32 = 0.6;

/// The findings but those whose redaction another of the same kind on the same line, at least
/// as risky, covers whole: a piece of a line that a second detector outlined apart from it,
/// read and scored again, adds nothing to the image and would list one area twice for a
/// reviewer. Of two findings covering each other, the first is kept. (`strongest_distinct`
/// does the like for one region's readings, before their redactions are drawn.)
fn without_covered(findings: Vec<Finding>) -> Vec<Finding> {
    let covered = |i: usize| {
        let finding = &findings[i];
        findings.iter().enumerate().any(|(j, other)| {
            let (risk, other_risk) = (finding.risk(), other.risk());
            j != i
                && other.kind == finding.kind
                && other.redacted.covers(&finding.redacted)
                && finding.redacted.height_across() >= SAME_LINE_MIN_HEIGHT * other.redacted.height_across()
                && (other_risk > risk || (other_risk == risk && (j < i || !finding.redacted.covers(&other.redacted))))
        })
    };
    let keep: Vec<bool> = (0..findings.len()).map(|i| !covered(i)).collect();
    findings.into_iter().zip(keep).filter_map(|(finding, keep)| keep.then_some(finding)).collect()
}

/// A part of a text line that carries PHI (or the plate the line is printed on), the region
/// it lies in, and how surely and by which reader it was read.
struct PhiPart {
    region: Region,
    /// `Text`, or `Plate` when the part is a licence plate.
    kind: RegionKind,
    part: Assessment,
    confidence: f32,
    engine: &'static str,
}

/// The parts of the image's text whose PHI risk reaches `--min-risk`. A page photographed or
/// scanned sideways or upside down is found, read and scored again turned upright: where it
/// lies, the detector breaks small print running down the image into pieces, and digits upside
/// down read confidently wrong ("09/30/1955" as "SS6T/0ε/60").
fn phi_parts(
    rgb: &RgbImage,
    regions: Vec<Region>,
    engines: &mut dyn Analyser,
    settings: &Settings,
    timings: &mut Timings,
) -> Result<Vec<PhiPart>> {
    let (of_region, lines) = read_once(rgb, &regions, engines, timings)?;
    let Some(turn) = page_turn(&lines) else {
        return phi_parts_as_read(rgb, regions, of_region, lines, engines, settings, timings);
    };
    // The reading where the page lies is set aside: only turned pages pay for a second one.
    let upright = turn.apply(rgb);
    let regions = timed(&mut timings.text_ms, || engines.text_regions(&upright))?;
    let (of_region, lines) = read_once(&upright, &regions, engines, timings)?;
    let parts = phi_parts_as_read(&upright, regions, of_region, lines, engines, settings, timings)?;
    let (width, height) = rgb.dimensions();
    Ok(parts
        .into_iter()
        .map(|mut found| {
            found.part.outline = found.part.outline.map(|point| turn.undo(point, width, height));
            found
        })
        .collect())
}

/// Each region read once by every reader in use: each reading's region index, and the readings.
fn read_once(rgb: &RgbImage, regions: &[Region], engines: &mut dyn Analyser, timings: &mut Timings) -> Result<(Vec<usize>, Vec<TextLine>)> {
    let readings = timed(&mut timings.read_ms, || engines.read(rgb, &outlines(regions)))?;
    Ok(lines_of(regions, readings, 0))
}

/// At least this many lines, each of at least three letters or digits read at least this
/// surely, must say which way a page is turned, and this share of their characters must agree:
/// a card's number printed up its edge, or a sign's vertical lettering, turns no page.
const TURN_VOTE_MIN_LINES: usize = 3;
const TURN_VOTE_MIN_CONFIDENCE: f32 = 0.6;
const TURN_VOTE_SHARE: f32 = 2.0 / 3.0;

/// The turn that brings the page upright, when most of its text runs other than left to
/// right. Each line's direction is its reading direction, after it was read upside down if
/// that read better.
fn page_turn(lines: &[TextLine]) -> Option<QuarterTurns> {
    let votes: Vec<(Option<QuarterTurns>, usize)> = lines
        .iter()
        .filter(|line| line.confidence >= TURN_VOTE_MIN_CONFIDENCE)
        .map(|line| (line, line.text.chars().filter(|c| c.is_alphanumeric()).count()))
        .filter(|&(_, chars)| chars >= 3)
        .map(|(line, chars)| {
            let [start, end, ..] = line.outline;
            (QuarterTurns::to_upright((end.0 - start.0, end.1 - start.1)), chars)
        })
        .collect();
    let total: usize = votes.iter().map(|&(_, chars)| chars).sum();
    // For each turn, the lines and characters that call for it.
    let (turn, lines_turned, chars) = [QuarterTurns::One, QuarterTurns::Two, QuarterTurns::Three]
        .into_iter()
        .map(|turn| {
            let calling: Vec<usize> = votes.iter().filter(|(t, _)| *t == Some(turn)).map(|&(_, chars)| chars).collect();
            (turn, calling.len(), calling.iter().sum::<usize>())
        })
        .max_by_key(|&(_, _, chars)| chars)?;
    (lines_turned >= TURN_VOTE_MIN_LINES && chars as f32 >= TURN_VOTE_SHARE * total as f32).then_some(turn)
}

/// The parts of lines already read once whose PHI risk reaches `--min-risk`, after a second
/// look when the page reads poorly.
fn phi_parts_as_read(
    rgb: &RgbImage,
    regions: Vec<Region>,
    of_region: Vec<usize>,
    lines: Vec<TextLine>,
    engines: &mut dyn Analyser,
    settings: &Settings,
    timings: &mut Timings,
) -> Result<Vec<PhiPart>> {
    let (regions, of_region, mut lines) = second_look_if_poor(rgb, regions, of_region, lines, engines, timings)?;
    share_best_confidence(&of_region, &mut lines, regions.len());
    let assessments = timed(&mut timings.score_ms, || engines.score(&lines))?;
    let plates = match settings.plates {
        true => timed(&mut timings.score_ms, || Ok(engines.plates(rgb, &lines)))?,
        false => vec![None; lines.len()],
    };

    // A plate found close up is boxed beside what its line was boxed as: the close-up outlines
    // the plate anew, and a text box on the line, where one was drawn, stays.
    let close_up_plates = match settings.plates {
        true => plates_close_up(rgb, &regions, &of_region, &lines, &plates, engines, timings)?,
        false => Vec::new(),
    };

    // What every reader found in each region, above the threshold; a region on a plate is a
    // plate, and its text is not boxed again as text; where the plate is read at the end of a
    // line of other writing (an ambulance's unit number), that writing is boxed as it was.
    let mut parts_by_region: Vec<Vec<(&TextLine, &Assessment)>> = vec![Vec::new(); regions.len()];
    let mut plate_of_region: Vec<Vec<(&TextLine, &Assessment)>> = vec![Vec::new(); regions.len()];
    for (((&region, line), parts), plate) in of_region.iter().zip(&lines).zip(&assessments).zip(&plates) {
        parts_by_region[region].extend(parts.iter().filter(|part| part.risk >= settings.min_text_risk).map(|part| (line, part)));
        plate_of_region[region].extend(plate.iter().filter(|plate| plate.risk >= settings.min_text_risk).map(|plate| (line, plate)));
    }
    Ok(regions
        .iter()
        .zip(parts_by_region.into_iter().zip(plate_of_region))
        .flat_map(|(region, (parts, plates))| {
            let whole_line_plate = plates.iter().any(|(line, plate)| plate.range.len() == line.text.len());
            let text = if whole_line_plate { Vec::new() } else { parts };
            let as_kind = move |kind, parts| {
                strongest_distinct(parts).into_iter().map(move |(line, part): (&TextLine, &Assessment)| PhiPart {
                    region: *region,
                    kind,
                    part: part.clone(),
                    confidence: line.confidence,
                    engine: line.engine,
                })
            };
            as_kind(RegionKind::Plate, plates).chain(as_kind(RegionKind::Text, text))
        })
        .chain(close_up_plates.into_iter().filter(|plate| plate.part.risk >= settings.min_text_risk))
        .collect())
}

/// Small lines read as no plate, looked at again close up (`plates::close_up`): the plates
/// found there on those lines, in the image's pixels. A page's many lines get no close-up.
fn plates_close_up(
    rgb: &RgbImage,
    regions: &[Region],
    of_region: &[usize],
    lines: &[TextLine],
    plates: &[Option<Assessment>],
    engines: &mut dyn Analyser,
    timings: &mut Timings,
) -> Result<Vec<PhiPart>> {
    if is_a_page(regions.len()) {
        return Ok(Vec::new());
    }
    let mut candidates: Vec<usize> = (0..regions.len())
        .filter(|&region| {
            let of_this = || of_region.iter().zip(lines.iter().zip(plates)).filter(move |(&r, _)| r == region).map(|(_, found)| found);
            let readings: Vec<&TextLine> = of_this().map(|(line, _)| line).collect();
            of_this().all(|(_, plate)| plate.is_none()) && worth_a_closer_look(&regions[region].bbox, &readings)
        })
        .collect();
    candidates.sort_by(|&a, &b| regions[b].score.total_cmp(&regions[a].score));
    candidates.truncate(MAX_CLOSE_UPS);

    let mut found: Vec<PhiPart> = Vec::new();
    for region in candidates {
        let line_box = regions[region].bbox;
        // A piece of a plate already found needs no look (its characters cut in two lines).
        let mut plates_seen = plates.iter().flatten().chain(found.iter().map(|plate| &plate.part));
        if plates_seen.any(|plate| plate.extent().intersection(&line_box) > 0.0) {
            continue;
        }
        let Some(close_up) = CloseUp::around(rgb, &line_box)? else { continue };
        let seen = timed(&mut timings.text_ms, || engines.text_regions(&close_up.image))?;
        let readings = timed(&mut timings.read_ms, || engines.read(&close_up.image, &outlines(&seen)))?;
        let (_, close_lines) = lines_of(&seen, readings, 0);
        let close_plates = timed(&mut timings.score_ms, || Ok(engines.plates(&close_up.image, &close_lines)))?;
        for (line, plate) in close_lines.into_iter().zip(close_plates) {
            let Some(mut plate) = plate else { continue };
            plate.outline = close_up.in_image(&plate.outline);
            // Only the plate the line lies on: others in the close-up have lines of their own.
            if plate.extent().intersection(&line_box) > 0.0 {
                let (confidence, engine) = (line.confidence, line.engine);
                found.push(PhiPart { region: regions[region], kind: RegionKind::Plate, part: plate, confidence, engine });
            }
        }
    }
    Ok(found)
}

/// Tells every reading of a region (`of_region[i]` is reading `i`'s) how surely the best of
/// them was read.
fn share_best_confidence(of_region: &[usize], lines: &mut [TextLine], regions: usize) {
    let mut best = vec![0.0f32; regions];
    for (&region, line) in of_region.iter().zip(lines.iter()) {
        best[region] = best[region].max(line.confidence);
    }
    for (&region, line) in of_region.iter().zip(lines.iter_mut()) {
        line.best_confidence = best[region];
    }
}

/// What one reader or another found in a region, without repeats: a part mostly inside a
/// stronger one already kept (the same name read by two engines) is dropped.
fn strongest_distinct<'a>(mut parts: Vec<(&'a TextLine, &'a Assessment)>) -> Vec<(&'a TextLine, &'a Assessment)> {
    parts.sort_by(|a, b| b.1.risk.total_cmp(&a.1.risk));
    let mut kept: Vec<(&TextLine, &Assessment)> = Vec::new();
    for (line, part) in parts {
        let extent = part.extent();
        let repeated = kept.iter().any(|(_, k)| k.extent().intersection(&extent) >= 0.8 * extent.area());
        if !repeated {
            kept.push((line, part));
        }
    }
    kept
}

fn details(part: Assessment, ocr_confidence: f32, engine: &str, settings: &Settings) -> TextDetails {
    let needs_review = part.risk < settings.review_below;
    TextDetails::new(part, ocr_confidence, engine, needs_review, settings.report_raw_text)
}

/// A page whose lines read poorly on average is faint, blurred or badly lit, and the tiny
/// detector misses lines on it; a stronger one finds many of them. On the tune split, every
/// image whose PHI the second look found more of was a page of at least 17 lines averaging
/// under 0.85. With this trigger validation recall rose from 83.4% to 88.9%, as much as with a
/// second look at every image, and the photos and clean pages of the dev set are not looked at
/// twice (a photo's one or two poor readings of a sign or a pattern would have tripled its
/// time).
const POOR_READING_BELOW: f32 = 0.85;
const MIN_PAGE_LINES: usize = 8;

fn reads_poorly(lines: &[TextLine]) -> bool {
    let confidence: f32 = lines.iter().map(|line| line.confidence).sum();
    lines.len() >= MIN_PAGE_LINES && confidence < POOR_READING_BELOW * lines.len() as f32
}

/// When the first reading is poor, a second look: the regions the stronger detector adds are
/// read too, and every region is read once more by the stronger recognizer (both readings are
/// scored, as with `--ocr both`). Returns (regions, each reading's region index, readings).
///
/// The second reading was measured after the second detector: validation recall rose from
/// 88.9% to 90.7% (tune 634 -> 641 of 664), boxes matching no label 27.6% -> 27.9%.
fn second_look_if_poor(
    rgb: &RgbImage,
    mut regions: Vec<Region>,
    mut of_region: Vec<usize>,
    mut lines: Vec<TextLine>,
    engines: &mut dyn Analyser,
    timings: &mut Timings,
) -> Result<(Vec<Region>, Vec<usize>, Vec<TextLine>)> {
    if reads_poorly(&lines) {
        let second = timed(&mut timings.text_ms, || engines.second_look_text_regions(rgb))?;
        let new = not_yet_found(second, &regions);
        let readings = timed(&mut timings.read_ms, || engines.read(rgb, &outlines(&new)))?;
        let (of_new, new_lines) = lines_of(&new, readings, regions.len());
        of_region.extend(of_new);
        lines.extend(new_lines);
        regions.extend(new);

        let rereadings = timed(&mut timings.read_ms, || engines.second_look_read(rgb, &outlines(&regions)))?;
        let (of_reread, reread) = lines_of(&regions, rereadings.into_iter().map(|reading| vec![reading]), 0);
        of_region.extend(of_reread);
        lines.extend(reread);
    }
    Ok((regions, of_region, lines))
}

fn outlines(regions: &[Region]) -> Vec<Quad> {
    regions.iter().map(|r| r.quad.unwrap_or_else(|| r.bbox.outline())).collect()
}

/// Every reading of every region (one per reader in use), and for each its region's index
/// (counted from `first_index`).
fn lines_of(regions: &[Region], readings: impl IntoIterator<Item = Vec<ReadText>>, first_index: usize) -> (Vec<usize>, Vec<TextLine>) {
    let mut of_region = Vec::new();
    let mut lines = Vec::new();
    for (index, (region, readings)) in regions.iter().zip(readings).enumerate() {
        for reading in readings {
            of_region.push(first_index + index);
            lines.push(TextLine {
                bbox: region.bbox,
                text: reading.text,
                confidence: reading.confidence,
                best_confidence: reading.confidence,
                detector_score: region.score,
                char_spans: reading.char_spans,
                outline: reading.outline,
                engine: reading.engine,
            });
        }
    }
    (of_region, lines)
}

fn timed<T>(total_ms: &mut f64, stage: impl FnOnce() -> Result<T>) -> Result<T> {
    let started = Instant::now();
    let result = stage();
    *total_ms += elapsed_ms(started);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{quad_bbox, BBox};
    use crate::redact::RedactionMode;

    fn lines_read_with(confidences: &[f32]) -> Vec<TextLine> {
        let bbox = BBox { x0: 10.0, y0: 10.0, x1: 200.0, y1: 30.0 };
        let line = |&confidence: &f32| TextLine {
            bbox,
            text: "a line".into(),
            confidence,
            best_confidence: confidence,
            detector_score: 0.9,
            char_spans: Vec::new(),
            outline: bbox.outline(),
            engine: "test",
        };
        confidences.iter().map(line).collect()
    }

    /// Lines of `texts` side by side, each running along `direction`.
    fn lines_reading(direction: (f32, f32), texts: &[&str]) -> Vec<TextLine> {
        texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let start = (100.0 + 30.0 * i as f32, 100.0);
                let end = (start.0 + direction.0, start.1 + direction.1);
                let outline = [start, end, end, start];
                TextLine { bbox: quad_bbox(&outline), text: text.to_string(), outline, ..lines_read_with(&[0.95])[0].clone() }
            })
            .collect()
    }

    /// A finding of `kind` (risk `risk`) redacting the upright box from (x0, y0) to (x1, y1).
    fn finding(kind: RegionKind, [x0, y0, x1, y1]: [f32; 4], risk: f32) -> Finding {
        let bbox = BBox { x0, y0, x1, y1 };
        let region = Region { bbox, kind, score: risk, quad: Some(bbox.outline()) };
        Finding::new(&region, text_redaction(&bbox.outline(), 400, 200, RedactionMode::Box).unwrap(), None)
    }

    #[test]
    fn a_finding_inside_another_as_risky_on_its_line_is_left_out() {
        let kept = |findings: Vec<Finding>| without_covered(findings).iter().map(|f| (f.bbox[0], f.risk())).collect::<Vec<_>>();
        let text = |x0, x1, risk| finding(RegionKind::Text, [x0, 10.0, x1, 30.0], risk);
        let line = || text(10.0, 300.0, 0.8);
        assert_eq!(kept(vec![text(50.0, 100.0, 0.72), line()]), [(10.0, 0.8)]);
        assert_eq!(kept(vec![line(), text(50.0, 100.0, 0.8)]), [(10.0, 0.8)], "as risky");
        assert_eq!(kept(vec![line(), line()]), [(10.0, 0.8)], "the first of two alike");
        // A stronger identifier inside a weaker line, a piece reaching past it, a plate, a
        // line inside a block of lines boxed as one: kept.
        assert_eq!(kept(vec![line(), text(50.0, 100.0, 0.9)]).len(), 2);
        assert_eq!(kept(vec![line(), text(250.0, 350.0, 0.5)]).len(), 2);
        assert_eq!(kept(vec![line(), finding(RegionKind::Plate, [50.0, 10.0, 100.0, 30.0], 0.5)]).len(), 2);
        assert_eq!(kept(vec![finding(RegionKind::Text, [0.0, 0.0, 350.0, 90.0], 0.8), line()]).len(), 2);
    }

    #[test]
    fn a_page_is_turned_when_most_of_its_text_runs_one_other_way() {
        let page = ["Patient GARCIA, MARIA", "DOB 05/22/1948", "MRN 7734219", "Phone (617) 555-0134"];
        assert_eq!(page_turn(&lines_reading((200.0, 4.0), &page)), None, "upright, slightly slanted");
        assert_eq!(page_turn(&lines_reading((0.0, -200.0), &page)), Some(QuarterTurns::One), "reading up the photo");
        assert_eq!(page_turn(&lines_reading((-200.0, 0.0), &page)), Some(QuarterTurns::Two), "upside down");
        // A card's number printed up its edge beside upright text turns nothing.
        let mut card = lines_reading((200.0, 0.0), &page);
        card.extend(lines_reading((0.0, -200.0), &["DL 123456789"]));
        assert_eq!(page_turn(&card), None);
        // Two turned lines are no page, nor are lines too poorly read to say which way they run.
        assert_eq!(page_turn(&lines_reading((-200.0, 0.0), &page[..2])), None);
        let mut unsure = lines_reading((-200.0, 0.0), &page);
        unsure.iter_mut().for_each(|line| line.confidence = 0.4);
        assert_eq!(page_turn(&unsure), None);
    }

    #[test]
    fn every_reading_of_a_region_knows_how_surely_the_best_was_read() {
        let mut lines = lines_read_with(&[0.3, 0.96, 0.5]);
        share_best_confidence(&[0, 0, 1], &mut lines, 2);
        let best: Vec<f32> = lines.iter().map(|line| line.best_confidence).collect();
        assert_eq!(best, [0.96, 0.96, 0.5]);
    }

    #[test]
    fn only_a_page_that_reads_poorly_gets_a_second_look() {
        // A photo: nothing read, or a sign and a pattern read badly, too few lines for a page.
        assert!(!reads_poorly(&[]));
        assert!(!reads_poorly(&lines_read_with(&[0.2, 0.3])));
        // A page read well, and a faint, blurred scan of one.
        assert!(!reads_poorly(&lines_read_with(&[0.95; 12])));
        assert!(reads_poorly(&lines_read_with(&[0.9, 0.6, 0.95, 0.7, 0.8, 0.5, 0.9, 0.85, 0.75, 0.9])));
    }
}
