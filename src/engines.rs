//! The loaded models, bundled the way the pipeline uses them: find faces, find text regions,
//! read them, score what was read for PHI.

use crate::detect::{Barcode, CenterFace, DbTextDetector, Detector, MultiScale, Region, ScalePlan};
use crate::geometry::Quad;
use crate::infer::ModelFile;
use crate::ner::{learned_matches, tag_page, Rampart};
use crate::ocr::{PpOcrRecognizer, ReadText, TesseractReader, TextReader};
use crate::phi::{Assessment, Scanner, TextLine};
use anyhow::Result;
use image::RgbImage;
use std::sync::Arc;

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
    /// The PHI in each line (none for most), judged with the lines around it (a form's labels,
    /// the context a name is read in).
    fn score(&mut self, lines: &[TextLine]) -> Result<Vec<Vec<Assessment>>>;
    /// The PHI a barcode's payload carries.
    fn score_barcode(&mut self, barcode: &Barcode) -> Option<Assessment>;
    /// For each line, the licence plate it is printed on, if any (see `crate::plates`).
    fn plates(&mut self, image: &RgbImage, lines: &[TextLine]) -> Vec<Option<Assessment>>;
}

pub struct Engines {
    /// The face networks `FaceNetworks` chose: the 8-bit copy, the published one, or both.
    pub faces: MultiScale<CenterFace>,
    pub text: Option<DbTextDetector>,
    /// PP-OCRv6 small, for a second look at pages the tiny pair reads poorly.
    pub second_look: Option<OnDemand<SecondLook>>,
    /// The PP-OCRv6 recognizer, when it reads.
    pub recognizer: Option<PpOcrRecognizer>,
    /// Tesseract, when it reads.
    pub tesseract: Option<TesseractReader>,
    /// The learned recogniser of people's names, when PHI text is scored.
    pub tagger: Option<Rampart>,
    /// Shared by every engine set: it only reads.
    pub scanner: Arc<Scanner>,
}

/// The PP-OCRv6 small pair: the detector searches a poorly read page again, the recognizer
/// reads every line of it a second time.
pub struct SecondLook {
    pub detector: DbTextDetector,
    pub recognizer: PpOcrRecognizer,
}

/// Models loaded the first time they are needed. Few pages call for a second look, and
/// loading its pair up front took 130 ms of each engine set's 290 ms start.
pub struct OnDemand<T> {
    /// The files it will load, already checked against the manifest (for the report).
    pub models: Vec<ModelFile>,
    load: Box<dyn Fn() -> Result<T> + Send>,
    loaded: Option<T>,
}

impl<T> OnDemand<T> {
    pub fn new(models: Vec<ModelFile>, load: impl Fn() -> Result<T> + Send + 'static) -> Self {
        Self { models, load: Box::new(load), loaded: None }
    }

    /// The models, loaded now if this is the first call.
    pub fn get(&mut self) -> Result<&mut T> {
        if self.loaded.is_none() {
            self.loaded = Some((self.load)()?);
        }
        Ok(self.loaded.as_mut().expect("loaded just now"))
    }
}

impl Engines {
    /// The models in use, for the report.
    pub fn models(&self) -> Vec<ModelFile> {
        let mut models: Vec<ModelFile> = self.faces.networks().map(|network| network.model.clone()).collect();
        models.extend(self.text.as_ref().map(|t| t.model.clone()));
        models.extend(self.second_look.iter().flat_map(|second_look| second_look.models.iter().cloned()));
        models.extend(self.recognizer.as_ref().map(|r| r.model.clone()));
        models.extend(self.tagger.as_ref().map(|t| t.model.clone()));
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
        self.second_look.as_mut().map_or(Ok(Vec::new()), |second| second.get()?.detector.detect(image))
    }

    fn second_look_read(&mut self, image: &RgbImage, lines: &[Quad]) -> Result<Vec<ReadText>> {
        self.second_look.as_mut().map_or(Ok(Vec::new()), |second| second.get()?.recognizer.read(image, lines))
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

    fn score(&mut self, lines: &[TextLine]) -> Result<Vec<Vec<Assessment>>> {
        let learned = match &mut self.tagger {
            Some(tagger) => {
                let texts: Vec<&str> = lines.iter().map(|line| line.text.as_str()).collect();
                tag_page(tagger, &texts)?.into_iter().map(learned_matches).collect()
            }
            None => vec![Vec::new(); lines.len()],
        };
        Ok(self.scanner.assess_with(lines, learned))
    }

    fn score_barcode(&mut self, barcode: &Barcode) -> Option<Assessment> {
        self.scanner.assess_payload(barcode.payload.as_deref(), barcode.bbox)
    }

    fn plates(&mut self, image: &RgbImage, lines: &[TextLine]) -> Vec<Option<Assessment>> {
        crate::plates::plates_among(image, lines, &self.scanner)
    }
}
