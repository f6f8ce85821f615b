//! The loaded models, bundled the way the pipeline uses them: detect regions, read the text
//! in text regions, score what was read for PHI.

use crate::detect::{BBox, CenterFace, DbTextDetector, Detector, MultiScale, Region};
use crate::infer::ModelFile;
use crate::ocr::{PpOcrRecognizer, ReadText, TextReader};
use crate::phi::{PhiMatch, Scanner};
use anyhow::Result;
use image::RgbImage;

/// What the pipeline asks of the models, one stage per method.
pub trait Analyser {
    /// Faces, and text regions when text is looked at.
    fn detect(&mut self, image: &RgbImage) -> Result<Vec<Region>>;
    /// The text in a region; `None` when text is not read.
    fn read(&mut self, image: &RgbImage, region: &BBox) -> Result<Option<ReadText>>;
    /// The PHI in a text.
    fn score(&mut self, text: &str) -> Vec<PhiMatch>;
}

pub struct Engines {
    pub faces: MultiScale<CenterFace>,
    pub text: Option<DbTextDetector>,
    pub reader: Option<PpOcrRecognizer>,
    pub scanner: Scanner,
}

impl Engines {
    /// The models in use, for the report.
    pub fn models(&self) -> Vec<ModelFile> {
        let mut models = vec![self.faces.inner().model.clone()];
        models.extend(self.text.as_ref().map(|t| t.model.clone()));
        models.extend(self.reader.as_ref().map(|r| r.model.clone()));
        models
    }
}

impl Analyser for Engines {
    fn detect(&mut self, image: &RgbImage) -> Result<Vec<Region>> {
        let mut regions = self.faces.detect(image)?;
        if let Some(text) = &mut self.text {
            regions.extend(text.detect(image)?);
        }
        Ok(regions)
    }

    fn read(&mut self, image: &RgbImage, region: &BBox) -> Result<Option<ReadText>> {
        self.reader.as_mut().map(|reader| reader.read(image, region)).transpose()
    }

    fn score(&mut self, text: &str) -> Vec<PhiMatch> {
        self.scanner.scan(text)
    }
}
