//! The loaded engine sets, lent out one model call at a time: any number of tasks (a batch's
//! files, a video's frames) share a few sets, and each call waits only for a free one.

use crate::detect::{Barcode, Region, ScalePlan};
use crate::engines::Analyser;
use crate::geometry::Quad;
use crate::ocr::ReadText;
use crate::phi::{Assessment, TextLine};
use anyhow::Result;
use image::RgbImage;
use std::sync::{Condvar, Mutex};

pub type EngineSet<'a> = Box<dyn Analyser + Send + 'a>;

pub struct EnginePool<'a> {
    free: Mutex<Vec<EngineSet<'a>>>,
    returned: Condvar,
}

impl<'a> EnginePool<'a> {
    pub fn new(engines: Vec<EngineSet<'a>>) -> Self {
        assert!(!engines.is_empty(), "at least one set of engines");
        Self { free: Mutex::new(engines), returned: Condvar::new() }
    }

    /// An analyser for one task; it holds no engines between calls.
    pub fn borrower(&self) -> PoolBorrower<'_, 'a> {
        PoolBorrower(self)
    }

    fn with<R>(&self, work: impl FnOnce(&mut dyn Analyser) -> R) -> R {
        let mut free = self.free.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let engines = loop {
            match free.pop() {
                Some(e) => break e,
                None => free = self.returned.wait(free).unwrap_or_else(|poisoned| poisoned.into_inner()),
            }
        };
        drop(free);
        let mut lent = Lent { pool: self, engines: Some(engines) };
        work(lent.engines.as_mut().expect("lent until dropped").as_mut())
    }
}

/// An engine set out on loan: dropped, it goes back to the pool, also when the work it was lent
/// for panics (the file is then `failed`, and the other workers must not wait for it forever).
struct Lent<'p, 'a> {
    pool: &'p EnginePool<'a>,
    engines: Option<EngineSet<'a>>,
}

impl Drop for Lent<'_, '_> {
    fn drop(&mut self) {
        if let Some(engines) = self.engines.take() {
            self.pool.free.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(engines);
            self.pool.returned.notify_one();
        }
    }
}

pub struct PoolBorrower<'p, 'a>(&'p EnginePool<'a>);

impl Analyser for PoolBorrower<'_, '_> {
    fn faces(&mut self, image: &RgbImage, plan: &ScalePlan) -> Result<Vec<Region>> {
        self.0.with(|engines| engines.faces(image, plan))
    }

    fn text_regions(&mut self, image: &RgbImage) -> Result<Vec<Region>> {
        self.0.with(|engines| engines.text_regions(image))
    }

    fn second_look_text_regions(&mut self, image: &RgbImage) -> Result<Vec<Region>> {
        self.0.with(|engines| engines.second_look_text_regions(image))
    }

    fn second_look_read(&mut self, image: &RgbImage, lines: &[Quad]) -> Result<Vec<ReadText>> {
        self.0.with(|engines| engines.second_look_read(image, lines))
    }

    fn read(&mut self, image: &RgbImage, lines: &[Quad]) -> Result<Vec<Vec<ReadText>>> {
        self.0.with(|engines| engines.read(image, lines))
    }

    fn score(&mut self, lines: &[TextLine]) -> Result<Vec<Vec<Assessment>>> {
        self.0.with(|engines| engines.score(lines))
    }

    fn score_barcode(&mut self, barcode: &Barcode) -> Option<Assessment> {
        self.0.with(|engines| engines.score_barcode(barcode))
    }

    fn plates(&mut self, image: &RgbImage, lines: &[TextLine]) -> Vec<Option<Assessment>> {
        self.0.with(|engines| engines.plates(image, lines))
    }
}
