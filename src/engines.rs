//! The loaded models, bundled the way the pipeline uses them: find faces, find text regions,
//! read them, score what was read for PHI.

use crate::detect::{Barcode, CenterFace, DbTextDetector, Detector, MultiScale, Quad, Region, ScalePlan};
use crate::infer::ModelFile;
use crate::ocr::{PpOcrRecognizer, ReadText, TesseractReader, TextReader};
use crate::phi::{Assessment, Scanner, TextLine};
use anyhow::Result;
use image::RgbImage;

/// What the pipeline asks of the models, one stage per method.
pub trait Analyser {
    fn faces(&mut self, image: &RgbImage, plan: &ScalePlan) -> Result<Vec<Region>>;
    /// Text regions; none when text is not looked at.
    fn text_regions(&mut self, image: &RgbImage) -> Result<Vec<Region>>;
    /// Text regions from a second, stronger detector, for a page the first look reads poorly;
    /// none when there is no second look.
    fn second_look_text_regions(&mut self, image: &RgbImage) -> Result<Vec<Region>>;
    /// Each outlined line read by a second, stronger recognizer, for the same page; none when
    /// there is no second look.
    fn second_look_read(&mut self, image: &RgbImage, lines: &[Quad]) -> Result<Vec<ReadText>>;
    /// The text along each outlined line, in order: one reading per reader in use.
    fn read(&mut self, image: &RgbImage, lines: &[Quad]) -> Result<Vec<Vec<ReadText>>>;
    /// The PHI in each line (none for most), judged with the lines around it (a form's labels).
    fn score(&mut self, lines: &[TextLine]) -> Vec<Vec<Assessment>>;
    /// The PHI a barcode's payload carries.
    fn score_barcode(&mut self, barcode: &Barcode) -> Option<Assessment>;
}

pub struct Engines {
    /// The face networks: the 8-bit copy on the CPU, the published one where videos,
    /// `--full-precision` or a GPU call for it (see `build_engines`).
    pub faces: MultiScale<CenterFace>,
    pub text: Option<DbTextDetector>,
    /// PP-OCRv6 small, for a second look at pages the tiny pair reads poorly.
    pub second_look: Option<SecondLook>,
    /// The PP-OCRv6 recognizer, when it reads.
    pub recognizer: Option<PpOcrRecognizer>,
    /// Tesseract, when it reads.
    pub tesseract: Option<TesseractReader>,
    pub scanner: Scanner,
}

/// The PP-OCRv6 small pair: the detector searches a poorly read page again, the recognizer
/// reads every line of it a second time.
pub struct SecondLook {
    pub detector: DbTextDetector,
    pub recognizer: PpOcrRecognizer,
}

impl Engines {
    /// The models in use, for the report.
    pub fn models(&self) -> Vec<ModelFile> {
        let mut models: Vec<ModelFile> = self.faces.networks().map(|network| network.model.clone()).collect();
        models.extend(self.text.as_ref().map(|t| t.model.clone()));
        if let Some(second_look) = &self.second_look {
            models.extend([second_look.detector.model.clone(), second_look.recognizer.model.clone()]);
        }
        models.extend(self.recognizer.as_ref().map(|r| r.model.clone()));
        models
    }
}

impl Analyser for Engines {
    fn faces(&mut self, image: &RgbImage, plan: &ScalePlan) -> Result<Vec<Region>> {
        self.faces.detect(image, plan)
    }

    fn text_regions(&mut self, image: &RgbImage) -> Result<Vec<Region>> {
        self.text.as_mut().map_or(Ok(Vec::new()), |text| text.detect(image))
    }

    fn second_look_text_regions(&mut self, image: &RgbImage) -> Result<Vec<Region>> {
        self.second_look.as_mut().map_or(Ok(Vec::new()), |second| second.detector.detect(image))
    }

    fn second_look_read(&mut self, image: &RgbImage, lines: &[Quad]) -> Result<Vec<ReadText>> {
        self.second_look.as_mut().map_or(Ok(Vec::new()), |second| second.recognizer.read(image, lines))
    }

    fn read(&mut self, image: &RgbImage, lines: &[Quad]) -> Result<Vec<Vec<ReadText>>> {
        let mut readings: Vec<Vec<ReadText>> = vec![Vec::new(); lines.len()];
        let readers: [Option<&mut dyn TextReader>; 2] =
            [self.recognizer.as_mut().map(|r| r as &mut dyn TextReader), self.tesseract.as_mut().map(|r| r as &mut dyn TextReader)];
        for reader in readers.into_iter().flatten() {
            for (per_line, reading) in readings.iter_mut().zip(reader.read(image, lines)?) {
                per_line.push(reading);
            }
        }
        Ok(readings)
    }

    fn score(&mut self, lines: &[TextLine]) -> Vec<Vec<Assessment>> {
        self.scanner.assess(lines)
    }

    fn score_barcode(&mut self, barcode: &Barcode) -> Option<Assessment> {
        self.scanner.assess_payload(&barcode.payload, barcode.bbox)
    }
}
