//! The loaded models, bundled the way the pipeline uses them: find faces, find text regions,
//! read them, score what was read for PHI.

use crate::detect::{Barcode, CenterFace, DbTextDetector, Detector, MultiScale, Quad, Region};
use crate::infer::ModelFile;
use crate::ocr::{PpOcrRecognizer, ReadText, TextReader};
use crate::phi::{Assessment, Scanner, TextLine};
use anyhow::Result;
use image::RgbImage;

/// What the pipeline asks of the models, one stage per method.
pub trait Analyser {
    fn faces(&mut self, image: &RgbImage) -> Result<Vec<Region>>;
    /// Text regions; none when text is not looked at.
    fn text_regions(&mut self, image: &RgbImage) -> Result<Vec<Region>>;
    /// The text along each outlined line, in order; none when text is not read.
    fn read(&mut self, image: &RgbImage, lines: &[Quad]) -> Result<Vec<ReadText>>;
    /// The PHI in each line (none for most), judged with the lines around it (a form's labels).
    fn score(&mut self, lines: &[TextLine]) -> Vec<Vec<Assessment>>;
    /// The PHI a barcode's payload carries.
    fn score_barcode(&mut self, barcode: &Barcode) -> Option<Assessment>;
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
    fn faces(&mut self, image: &RgbImage) -> Result<Vec<Region>> {
        self.faces.detect(image)
    }

    fn text_regions(&mut self, image: &RgbImage) -> Result<Vec<Region>> {
        self.text.as_mut().map_or(Ok(Vec::new()), |text| text.detect(image))
    }

    fn read(&mut self, image: &RgbImage, lines: &[Quad]) -> Result<Vec<ReadText>> {
        self.reader.as_mut().map_or(Ok(Vec::new()), |reader| reader.read(image, lines))
    }

    fn score(&mut self, lines: &[TextLine]) -> Vec<Vec<Assessment>> {
        self.scanner.assess(lines)
    }

    fn score_barcode(&mut self, barcode: &Barcode) -> Option<Assessment> {
        self.scanner.assess_payload(&barcode.payload, barcode.bbox)
    }
}
