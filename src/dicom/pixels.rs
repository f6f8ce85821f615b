//! A DICOM object's pixels: decoded to the stored sample values, each frame rendered to 8-bit
//! RGB for analysis (its VOI LUT or window, min-max without one), and redaction written into
//! the stored values themselves, so that the output keeps the modality's values everywhere
//! else instead of a rescaled copy.

use crate::geometry::PixelRect;
use anyhow::{bail, ensure, Context, Result};
use dicom_dictionary_std::tags;
use dicom_object::DefaultDicomObject;
use dicom_pixeldata::{
    ConvertOptions, DecodedPixelData, PhotometricInterpretation, PixelDecoder, PixelRepresentation, PlanarConfiguration, VoiLutOption,
};
use image::RgbImage;

/// Decoded frames past this many bytes are refused (a small compressed file may declare any
/// number of large frames).
pub const MAX_DECODED_BYTES: u64 = 2 << 30;

/// What the header says of the pixel data, checked to fit before anything is decoded.
pub struct Header {
    pub rows: u64,
    pub columns: u64,
    pub frames: u64,
    pub samples: u64,
    pub bits_allocated: u64,
    pub bits_stored: u64,
    pub photometric: String,
}

impl Header {
    pub fn read(object: &DefaultDicomObject, max_pixels: u64) -> Result<Self> {
        let element = |tag, name| object.get(tag).with_context(|| format!("no {name}"));
        let number =
            |tag, name| -> Result<u64> { element(tag, name)?.value().to_int::<u64>().with_context(|| format!("{name} is not a number")) };
        ensure!(
            object.get(tags::PIXEL_DATA).is_some(),
            "it holds no image (no Pixel Data): structured reports, plans, waveforms and DICOMDIRs are not supported"
        );
        let frames = if object.get(tags::NUMBER_OF_FRAMES).is_some() { number(tags::NUMBER_OF_FRAMES, "Number of Frames")? } else { 1 };
        let header = Self {
            rows: number(tags::ROWS, "Rows")?,
            columns: number(tags::COLUMNS, "Columns")?,
            frames,
            samples: number(tags::SAMPLES_PER_PIXEL, "Samples per Pixel")?,
            bits_allocated: number(tags::BITS_ALLOCATED, "Bits Allocated")?,
            bits_stored: number(tags::BITS_STORED, "Bits Stored")?,
            photometric: element(tags::PHOTOMETRIC_INTERPRETATION, "Photometric Interpretation")?
                .value()
                .to_str()
                .context("Photometric Interpretation is not text")?
                .trim_end_matches('\0')
                .trim()
                .to_string(),
        };
        let Self { rows, columns, frames, samples, bits_allocated: bits, .. } = header;
        ensure!(rows > 0 && columns > 0 && frames > 0, "the pixel data is empty ({columns}x{rows}, {frames} frames)");
        ensure!(rows.saturating_mul(columns) <= max_pixels, "frames of {columns}x{rows} are larger than the --max-megapixels limit");
        // The renderer reads 8 and 16 bits; 1-bit segmentations and 32-bit dose grids hold no print.
        ensure!(matches!(bits, 8 | 16), "{bits}-bit samples are not supported");
        ensure!(matches!(samples, 1 | 3), "{samples} samples per pixel are not supported");
        // dicom-rs's lookup tables shift by Bits Stored rounded up to a power of two.
        ensure!((1..=bits).contains(&header.bits_stored), "{} bits stored in {bits}-bit samples", header.bits_stored);
        let bytes = (rows * columns).saturating_mul(frames).saturating_mul(samples * bits / 8);
        ensure!(bytes <= MAX_DECODED_BYTES, "{frames} frames of {columns}x{rows} would take {bytes} bytes decoded");
        Ok(header)
    }
}

/// Decodes every frame of `object`, whose [`Header`] has been checked.
pub fn decode(object: &DefaultDicomObject) -> Result<DecodedPixelData<'_>> {
    let decoded = object.decode_pixel_data().context("cannot decode the pixel data")?;
    let photometric = decoded.photometric_interpretation();
    if matches!(photometric, PhotometricInterpretation::YbrFull422 | PhotometricInterpretation::YbrPartial420) {
        bail!("uncompressed {} pixel data is not supported", photometric.as_str());
    }
    let layout = Layout::of(&decoded);
    ensure!(
        decoded.data().len() >= layout.frame_bytes() * decoded.number_of_frames() as usize,
        "the pixel data is shorter than its {} frames of {}x{}",
        decoded.number_of_frames(),
        decoded.columns(),
        decoded.rows()
    );
    Ok(decoded)
}

/// Frame `index` as a viewer would show it by default, in 8-bit RGB.
pub fn render(decoded: &DecodedPixelData, index: u32) -> Result<RgbImage> {
    let options = ConvertOptions::new().with_voi_lut(VoiLutOption::First).force_8bit();
    let image = decoded.to_dynamic_image_with_options(index, &options).with_context(|| format!("cannot render frame {index}"))?;
    Ok(image.to_rgb8())
}

/// Where each sample of a frame lies in the decoded bytes, and what value hides it.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    rows: usize,
    columns: usize,
    samples: usize,
    sample_bytes: usize,
    planar: bool,
    signed: bool,
    /// Colour planes' sample values for black: 0 everywhere for RGB; YBR's middle chroma.
    ybr: Option<u32>,
}

impl Layout {
    pub fn of(decoded: &DecodedPixelData) -> Self {
        let ybr = matches!(decoded.photometric_interpretation(), PhotometricInterpretation::YbrFull)
            .then(|| 1u32 << decoded.bits_stored().clamp(1, 32).saturating_sub(1).min(31));
        Self {
            rows: decoded.rows() as usize,
            columns: decoded.columns() as usize,
            samples: usize::from(decoded.samples_per_pixel()),
            sample_bytes: usize::from(decoded.bits_allocated()) / 8,
            planar: decoded.samples_per_pixel() > 1 && decoded.planar_configuration() == PlanarConfiguration::PixelFirst,
            signed: decoded.pixel_representation() == PixelRepresentation::Signed,
            ybr,
        }
    }

    pub fn frame_bytes(&self) -> usize {
        self.rows * self.columns * self.samples * self.sample_bytes
    }

    fn offset(&self, x: usize, y: usize, sample: usize) -> usize {
        let pixel = y * self.columns + x;
        let index = if self.planar { sample * self.rows * self.columns + pixel } else { pixel * self.samples + sample };
        index * self.sample_bytes
    }

    /// A sample's value, as the number it stands for (sign-extended when signed).
    fn value(&self, bytes: &[u8]) -> i64 {
        let mut word = [0u8; 8];
        word[..self.sample_bytes].copy_from_slice(bytes);
        let unsigned = u64::from_le_bytes(word);
        let shift = 64 - 8 * self.sample_bytes as u32;
        if self.signed {
            ((unsigned << shift) as i64) >> shift
        } else {
            unsigned as i64
        }
    }

    /// The bytes written over each sample of a redacted area: black for colour; for
    /// monochrome the frame's smallest stored value, the modality's floor (air, background).
    fn fill(&self, frame: &[u8]) -> Vec<Vec<u8>> {
        if self.samples > 1 {
            let chroma = self.ybr.unwrap_or(0);
            return (0..self.samples)
                .map(|sample| {
                    let value = if sample == 0 { 0 } else { chroma };
                    value.to_le_bytes()[..self.sample_bytes].to_vec()
                })
                .collect();
        }
        let lowest = frame.chunks_exact(self.sample_bytes).min_by_key(|sample| self.value(sample)).unwrap_or(&[0; 4][..self.sample_bytes]);
        vec![lowest.to_vec()]
    }
}

/// Covers `areas` of one frame's stored samples with solid boxes.
pub fn redact_frame(frame: &mut [u8], layout: &Layout, areas: &[PixelRect]) {
    let fill = layout.fill(frame);
    for area in areas {
        let x_end = (area.x as usize).saturating_add(area.width as usize).min(layout.columns);
        let y_end = (area.y as usize).saturating_add(area.height as usize).min(layout.rows);
        for y in (area.y as usize)..y_end {
            for x in (area.x as usize)..x_end {
                for (sample, value) in fill.iter().enumerate() {
                    let at = layout.offset(x, y, sample);
                    frame[at..at + layout.sample_bytes].copy_from_slice(value);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(samples: usize, sample_bytes: usize, planar: bool, signed: bool) -> Layout {
        Layout { rows: 2, columns: 3, samples, sample_bytes, planar, signed, ybr: None }
    }

    #[test]
    fn signed_16_bit_frames_are_boxed_at_their_lowest_value_and_only_inside_the_box() {
        let layout = layout(1, 2, false, true);
        let values: [i16; 6] = [5, -1000, 7, 8, 9, 10];
        let mut frame: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        redact_frame(&mut frame, &layout, &[PixelRect { x: 1, y: 1, width: 5, height: 5 }]);
        let after: Vec<i16> = frame.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect();
        assert_eq!(after, [5, -1000, 7, 8, -1000, -1000]);
    }

    #[test]
    fn colour_planes_are_blacked_out_whether_interleaved_or_planar() {
        let mut interleaved = vec![200u8; 18];
        redact_frame(&mut interleaved, &layout(3, 1, false, false), &[PixelRect { x: 0, y: 0, width: 1, height: 1 }]);
        assert_eq!(&interleaved[..4], &[0, 0, 0, 200]);
        let mut planar = vec![200u8; 18];
        redact_frame(&mut planar, &layout(3, 1, true, false), &[PixelRect { x: 0, y: 0, width: 1, height: 1 }]);
        assert_eq!([planar[0], planar[1], planar[6], planar[12]], [0, 200, 0, 0]);
        let ybr = Layout { ybr: Some(128), ..layout(3, 1, false, false) };
        let mut frame = vec![200u8; 18];
        redact_frame(&mut frame, &ybr, &[PixelRect { x: 0, y: 0, width: 1, height: 1 }]);
        assert_eq!(&frame[..3], &[0, 128, 128]);
    }
}
