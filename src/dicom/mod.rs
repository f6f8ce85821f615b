//! A DICOM object through the stages: read -> decode every frame (`native` first rewrites what
//! dicom-rs cannot decode) -> analyse each as a photo -> redact the stored samples ->
//! de-identify the header (`profile`) -> write it uncompressed, in the input's own syntax when
//! that stores samples as they are, else explicit VR little endian.
//!
//! Fail closed, as for photos: an object that cannot be read or decoded whole, or whose header
//! says text is burned into its pixels where none was found, is `failed` and not written.

mod jpeg;
mod lengths;
mod native;
mod pixels;
mod profile;
mod rle;
mod uids;

pub use profile::AttributeCounts;
pub use uids::UidKey;

use crate::analyse::analyse;
use crate::config::Settings;
use crate::detect::RegionKind;
use crate::engine_pool::EnginePool;
use crate::fsutil::{refuse_to_overwrite, write_placed};
use crate::geometry::PixelRect;
use crate::hashing::sha256_hex;
use crate::job::FileJob;
use crate::media::thumbnail;
use crate::report::{elapsed_ms, DicomDetails, FileResult, Finding, Keyframe};
use anyhow::{ensure, Context, Result};
use dicom_core::value::DataSetSequence;
use dicom_core::{DataElement, PrimitiveValue, VR};
use dicom_dictionary_std::tags;
use dicom_object::file::ReadPreamble;
use dicom_object::meta::FileMetaTableBuilder;
use dicom_object::{DefaultDicomObject, InMemDicomObject, OpenFileOptions};
use dicom_pixeldata::DecodedPixelData;
use image::{DynamicImage, RgbImage};
use pixels::Layout;
use profile::Profile;
use std::borrow::Cow;
use std::time::Instant;

/// Where a DICOM file says what it is: `DICM` after a 128-byte preamble.
pub fn is_dicom(head: &[u8]) -> bool {
    head.get(128..132) == Some(b"DICM")
}

const EXPLICIT_VR_LITTLE_ENDIAN: &str = "1.2.840.10008.1.2.1";
const EXPLICIT_VR_BIG_ENDIAN: &str = "1.2.840.10008.1.2.2";
/// Syntaxes that store samples as they are, kept for the copy: implicit VR little endian,
/// explicit VR little endian, deflated explicit VR little endian, explicit VR big endian.
/// Compressed syntaxes would need their encoders; the copy is then explicit VR little endian.
const UNCOMPRESSED_SYNTAXES: [&str; 4] = ["1.2.840.10008.1.2", EXPLICIT_VR_LITTLE_ENDIAN, "1.2.840.10008.1.2.1.99", EXPLICIT_VR_BIG_ENDIAN];

pub fn process(job: &FileJob, engines: &EnginePool, settings: &Settings, result: &mut FileResult) -> Result<()> {
    let bytes = std::fs::read(&job.input).context("cannot read file")?;
    result.input_sha256 = Some(sha256_hex(&bytes));
    result.format = Some("dicom".into());

    let t = Instant::now();
    let object = read(&bytes)?;
    let decodable = decodable(&object, settings.max_pixels())?;
    let decoded = pixels::decode(&decodable)?;
    result.timings.decode_ms = elapsed_ms(t);
    result.width = Some(decoded.columns());
    result.height = Some(decoded.rows());

    let analysed = analyse_frames(&decoded, engines, settings, result)?;
    if declares_burned_in_text(&object) {
        ensure!(
            result.findings.iter().any(|finding| finding.kind == RegionKind::Text),
            "its header says text is burned into the pixels (Burned In Annotation: YES), but none was found to redact"
        );
    }
    let mut details = DicomDetails {
        transfer_syntax: transfer_syntax(&object).to_string(),
        written_as: written_syntax(&object).into(),
        frames: analysed.finding_counts.len(),
        findings_per_frame: analysed.finding_counts,
        finding_frames: analysed.finding_frames,
        attributes: AttributeCounts::default(),
        keyframe: None,
    };
    let Some(output) = &job.output else {
        result.dicom = Some(details);
        return Ok(());
    };

    let t = Instant::now();
    let samples = redacted_samples(&decoded, |index| {
        findings_in(result, &details.finding_frames, index).map(|finding| finding.redacted.rect).collect()
    });
    result.timings.redact_ms = elapsed_ms(t);

    let t = Instant::now();
    let uids = settings.dicom_uids.as_ref().context("no key to draw new UIDs from")?;
    let encoded = deidentified(&object, &decoded, samples, uids, &mut details.attributes)?;
    result.timings.encode_ms = elapsed_ms(t);
    if let Some(dir) = &settings.thumbnail_dir {
        let (index, redacted) = analysed.keyframe;
        let hash = result.input_sha256.as_deref().unwrap_or_default();
        let name = format!("{}-{index:06}.jpg", &hash[..hash.len().min(16)]);
        details.keyframe = Some(Keyframe { frame: index, time_s: 0.0, file: thumbnail::save(dir, &name, &redacted)? });
    }
    refuse_to_overwrite(&job.input, output)?;
    write_placed(output, &encoded, job.placing)?;
    result.output_sha256 = Some(sha256_hex(&encoded));
    result.output = Some(output.display().to_string());
    result.dicom = Some(details);
    Ok(())
}

/// What the frames held: the findings in `result.findings`, frame by frame, and here which
/// frame each came from, how many each frame had, and the frame to show the reviewer (the one
/// with most findings, as redacted).
struct AnalysedFrames {
    finding_frames: Vec<usize>,
    finding_counts: Vec<usize>,
    keyframe: (usize, RgbImage),
}

fn analyse_frames(
    decoded: &DecodedPixelData,
    engines: &EnginePool,
    settings: &Settings,
    result: &mut FileResult,
) -> Result<AnalysedFrames> {
    let mut engines = engines.borrower();
    let mut analysed = AnalysedFrames { finding_frames: Vec::new(), finding_counts: Vec::new(), keyframe: (0, RgbImage::new(1, 1)) };
    for index in 0..decoded.number_of_frames() {
        let t = Instant::now();
        let rgb = pixels::render(decoded, index)?;
        result.timings.decode_ms += elapsed_ms(t);
        let found = analyse(&rgb, &mut engines, settings, &mut result.timings)?;
        let index = index as usize;
        if index == 0 || found.len() > analysed.finding_counts.iter().copied().max().unwrap_or(0) {
            analysed.keyframe = (index, redacted_view(rgb, &found)?);
        }
        analysed.finding_counts.push(found.len());
        analysed.finding_frames.extend(std::iter::repeat_n(index, found.len()));
        result.findings.extend(found);
    }
    Ok(analysed)
}

fn read(bytes: &[u8]) -> Result<DefaultDicomObject> {
    lengths::check(bytes)?;
    OpenFileOptions::new().read_preamble(ReadPreamble::Always).from_reader(bytes).context("cannot read the DICOM object")
}

/// `object` as dicom-rs can decode it, once its header says the frames fit.
fn decodable(object: &DefaultDicomObject, max_pixels: u64) -> Result<Cow<'_, DefaultDicomObject>> {
    let header = pixels::Header::read(object, max_pixels)?;
    rle::check(object, &header)?;
    jpeg::check(object, &header)?;
    native::decodable(object, &header)
}

/// The object's transfer syntax UID, without the padding some writers leave on it.
fn transfer_syntax(object: &DefaultDicomObject) -> &str {
    object.meta().transfer_syntax().trim_end_matches('\0')
}

fn written_syntax(object: &DefaultDicomObject) -> &'static str {
    let input = transfer_syntax(object);
    UNCOMPRESSED_SYNTAXES.into_iter().find(|syntax| *syntax == input).unwrap_or(EXPLICIT_VR_LITTLE_ENDIAN)
}

/// The decoded samples of every frame, each with `areas_of(frame)` boxed.
fn redacted_samples(decoded: &DecodedPixelData, areas_of: impl Fn(usize) -> Vec<PixelRect>) -> Vec<u8> {
    let layout = Layout::of(decoded);
    let mut samples = decoded.data()[..layout.frame_bytes() * decoded.number_of_frames() as usize].to_vec();
    for (index, frame) in samples.chunks_exact_mut(layout.frame_bytes()).enumerate() {
        pixels::redact_frame(frame, &layout, &areas_of(index));
    }
    samples
}

/// Every stage but the analysis, the top-left quarter of each frame boxed: what the fuzz target
/// runs on any bytes (`crate::fuzzing::dicom`).
pub fn rewrite_without_analysis(bytes: &[u8], max_pixels: u64) -> Result<Vec<u8>> {
    let object = read(bytes)?;
    let decodable = decodable(&object, max_pixels)?;
    let decoded = pixels::decode(&decodable)?;
    for index in 0..decoded.number_of_frames() {
        pixels::render(&decoded, index)?;
    }
    let quarter = PixelRect { x: 0, y: 0, width: decoded.columns() / 2, height: decoded.rows() / 2 };
    let samples = redacted_samples(&decoded, |_| vec![quarter]);
    deidentified(&object, &decoded, samples, &UidKey::fresh()?, &mut AttributeCounts::default())
}

fn findings_in<'a>(result: &'a FileResult, finding_frames: &'a [usize], frame: usize) -> impl Iterator<Item = &'a Finding> {
    result.findings.iter().zip(finding_frames).filter(move |(_, &at)| at == frame).map(|(finding, _)| finding)
}

/// A rendered frame with its findings redacted as the stored samples will be, for the review
/// page.
fn redacted_view(rgb: RgbImage, findings: &[Finding]) -> Result<RgbImage> {
    let mut view = DynamicImage::ImageRgb8(rgb);
    let boxes: Vec<_> = findings.iter().map(|finding| finding.redacted.as_solid_box()).collect();
    crate::redact::redact_all(&mut view, &boxes, crate::redact::BoxPaint::Whole)?;
    Ok(view.to_rgb8())
}

fn declares_burned_in_text(object: &DefaultDicomObject) -> bool {
    object.get(tags::BURNED_IN_ANNOTATION).and_then(|element| element.value().to_str().ok()).is_some_and(|value| value.trim() == "YES")
}

/// The object as it is written: its header through the profile, its pixels the redacted
/// `samples`, uncompressed (see [`written_syntax`]), and the de-identification recorded as
/// PS3.15 asks.
fn deidentified(
    object: &DefaultDicomObject,
    decoded: &DecodedPixelData,
    samples: Vec<u8>,
    uids: &UidKey,
    counts: &mut AttributeCounts,
) -> Result<Vec<u8>> {
    let mut dataset = Profile::basic()?.apply(object, uids, counts)?;
    for encapsulation_only in
        [tags::ENCAPSULATED_PIXEL_DATA_VALUE_TOTAL_LENGTH, tags::EXTENDED_OFFSET_TABLE, tags::EXTENDED_OFFSET_TABLE_LENGTHS]
    {
        dataset.remove_element(encapsulation_only);
    }
    put_pixels(&mut dataset, decoded, samples);
    dataset.put(DataElement::new(tags::PATIENT_IDENTITY_REMOVED, VR::CS, PrimitiveValue::from("YES")));
    dataset.put(DataElement::new(
        tags::DEIDENTIFICATION_METHOD,
        VR::LO,
        PrimitiveValue::from("phi-redact: PS3.15 Basic Profile, burned-in PHI boxed"),
    ));
    let basic_profile_code = InMemDicomObject::from_element_iter([
        DataElement::new(tags::CODE_VALUE, VR::SH, PrimitiveValue::from("113100")),
        DataElement::new(tags::CODING_SCHEME_DESIGNATOR, VR::SH, PrimitiveValue::from("DCM")),
        DataElement::new(tags::CODE_MEANING, VR::LO, PrimitiveValue::from("Basic Application Confidentiality Profile")),
    ]);
    dataset.put(DataElement::new(tags::DEIDENTIFICATION_METHOD_CODE_SEQUENCE, VR::SQ, DataSetSequence::from(vec![basic_profile_code])));
    // Whatever was burned in and found is boxed now.
    dataset.put(DataElement::new(tags::BURNED_IN_ANNOTATION, VR::CS, PrimitiveValue::from("NO")));

    let meta = object.meta();
    let meta = FileMetaTableBuilder::new()
        .media_storage_sop_class_uid(meta.media_storage_sop_class_uid().trim_end_matches('\0'))
        .media_storage_sop_instance_uid(uids.replace(meta.media_storage_sop_instance_uid()))
        .transfer_syntax(written_syntax(object))
        .build()
        .context("cannot build the file meta header")?;
    let mut encoded = Vec::new();
    dataset.with_exact_meta(meta).write_all(&mut encoded).context("cannot encode the DICOM object")?;
    Ok(encoded)
}

/// Native pixel data, as decoded: what the decoder turned into RGB says so.
fn put_pixels(dataset: &mut InMemDicomObject, decoded: &DecodedPixelData, samples: Vec<u8>) {
    let pixel_data = if decoded.bits_allocated() == 8 {
        DataElement::new(tags::PIXEL_DATA, VR::OB, PrimitiveValue::U8(samples.into()))
    } else {
        let words: Vec<u16> = samples.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect();
        DataElement::new(tags::PIXEL_DATA, VR::OW, PrimitiveValue::U16(words.into()))
    };
    dataset.put(pixel_data);
    dataset.put(DataElement::new(
        tags::PHOTOMETRIC_INTERPRETATION,
        VR::CS,
        PrimitiveValue::from(decoded.photometric_interpretation().as_str()),
    ));
    if decoded.samples_per_pixel() > 1 {
        dataset.put(DataElement::new(tags::PLANAR_CONFIGURATION, VR::US, PrimitiveValue::from(decoded.planar_configuration() as u16)));
    }
}
