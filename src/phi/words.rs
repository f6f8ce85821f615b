//! How common an English word is (wordfreq's small English list, from the `wordfreq==3.1.1`
//! wheel): "Hospital" and "Company" are ordinary words, "Narko" and "Tisch" are not, so a
//! capitalised rare word beside a first name is most likely a surname.

use anyhow::{bail, Context, Result};
use flate2::read::GzDecoder;
use rmpv::Value;
use std::collections::HashMap;

pub const WORD_FREQUENCIES_FILE: &str = "english-word-frequencies.msgpack.gz";

/// Lower-case English words and their Zipf frequency (log10 of occurrences per billion words:
/// "the" 7.7, "hospital" 5.1, "cardiology" 3.1). Words rarer than 3 are not listed.
#[derive(Debug, Clone, Default)]
pub struct EnglishWords {
    zipf: HashMap<String, f32>,
    /// The common words that a misreading may be taken for, by length (see `misread_as`).
    common_by_length: Vec<Vec<CommonWord>>,
}

/// A word read this long, one letter wrong, or from this long two letters wrong, may be a
/// common word misread ("Cardiofogy", "TRANSMAESSION"); shorter words are too often a
/// name one letter off a word ("Meiling", "Berlind").
const MISREAD_MIN_LETTERS: usize = 8;
const TWO_MISREAD_MIN_LETTERS: usize = 11;
/// How common a word must be for a near miss of it to be taken for it. At 3.2 rather than
/// 3.5 a fax's "CONFIDENTLALTY" (confidentiality, 3.45) is a word; at 3.0 a town would go
/// ("Brownsville" as "townsville"), and no labelled string of any set is near one at 3.2.
const MISREAD_TARGET_ZIPF: f32 = 3.2;

/// A common word and how many of each letter it holds: two words whose letter counts differ
/// by more than `n` are more than `n` edits apart, which rules out most candidates cheaply.
#[derive(Debug, Clone)]
struct CommonWord {
    word: String,
    letters: [u8; 26],
}

impl EnglishWords {
    /// wordfreq's "cB" format, gzipped MessagePack: a header map, then one list of words per
    /// centibel of frequency below 1 (the list at index i holds words of frequency 10^(-i/100)).
    pub fn from_wordfreq(gzipped: &[u8]) -> Result<Self> {
        let value = rmpv::decode::read_value(&mut GzDecoder::new(gzipped)).context("word frequency list: not gzipped MessagePack")?;
        let Value::Array(items) = value else { bail!("word frequency list: not a list") };
        let format = items
            .first()
            .and_then(Value::as_map)
            .and_then(|header| header.iter().find(|(key, _)| key.as_str() == Some("format")).and_then(|(_, value)| value.as_str()));
        if format != Some("cB") {
            bail!("word frequency list: expected wordfreq's cB format");
        }
        let mut zipf = HashMap::new();
        for (centibels, bucket) in items.iter().enumerate().skip(1) {
            // Index 1 is the first bucket (0 cB): frequency 10^(-(i-1)/100), in Zipf 9 - (i-1)/100.
            let frequency = 9.0 - (centibels - 1) as f32 / 100.0;
            for word in bucket.as_array().into_iter().flatten().filter_map(Value::as_str) {
                zipf.insert(word.to_string(), frequency);
            }
        }
        Ok(Self::from_zipf(zipf))
    }

    fn from_zipf(zipf: HashMap<String, f32>) -> Self {
        let mut common_by_length: Vec<Vec<CommonWord>> = Vec::new();
        // A word read with a letter too many may be one letter shorter than the shortest read.
        let shortest_target = MISREAD_MIN_LETTERS - 1;
        let targets = zipf.iter().filter(|(word, &frequency)| {
            frequency >= MISREAD_TARGET_ZIPF && word.len() >= shortest_target && word.bytes().all(|b| b.is_ascii_lowercase())
        });
        for (word, _) in targets {
            if common_by_length.len() <= word.len() {
                common_by_length.resize(word.len() + 1, Vec::new());
            }
            common_by_length[word.len()].push(CommonWord { word: word.clone(), letters: letter_counts(word) });
        }
        Self { zipf, common_by_length }
    }

    pub fn is_empty(&self) -> bool {
        self.zipf.is_empty()
    }

    /// The word's Zipf frequency, 0 when it is not on the list; case-insensitive.
    pub fn zipf(&self, word: &str) -> f32 {
        self.zipf.get(&word.to_lowercase()).copied().unwrap_or(0.0)
    }

    /// The common words (`MISREAD_TARGET_ZIPF` or more) that `word`, rare itself, may be a
    /// misreading of: one letter off for a word of eight letters or more, two for eleven or more.
    /// Only plain ASCII words are matched: accents mark a name more often than a misreading.
    pub fn misread_as<'w>(&'w self, word: &str) -> impl Iterator<Item = &'w str> + 'w {
        let word = word.to_ascii_lowercase();
        let plain = word.bytes().all(|b| b.is_ascii_lowercase());
        let letters = word.len();
        let edits = match letters {
            _ if !plain || letters < MISREAD_MIN_LETTERS => 0,
            _ if letters < TWO_MISREAD_MIN_LETTERS => 1,
            _ => 2,
        };
        let counts = letter_counts(&word);
        let lengths = if edits == 0 { 1..1 } else { letters - edits..letters + edits + 1 };
        lengths
            .filter_map(|length| self.common_by_length.get(length))
            .flatten()
            .filter(move |common| letter_count_difference(&common.letters, &counts) <= edits)
            .filter(move |common| strsim::levenshtein(&common.word, &word) <= edits)
            .map(|common| common.word.as_str())
    }

    #[cfg(test)]
    pub fn from_pairs(pairs: &[(&str, f32)]) -> Self {
        Self::from_zipf(pairs.iter().map(|&(w, z)| (w.to_string(), z)).collect())
    }
}

fn letter_counts(word: &str) -> [u8; 26] {
    let mut counts = [0u8; 26];
    for b in word.bytes().filter(u8::is_ascii_lowercase) {
        counts[usize::from(b - b'a')] = counts[usize::from(b - b'a')].saturating_add(1);
    }
    counts
}

/// A lower bound of the edit distance: letters one word holds more of than the other, on the
/// side where there are more of them.
fn letter_count_difference(a: &[u8; 26], b: &[u8; 26]) -> usize {
    let (mut surplus, mut deficit) = (0usize, 0usize);
    for (&x, &y) in a.iter().zip(b) {
        surplus += usize::from(x.saturating_sub(y));
        deficit += usize::from(y.saturating_sub(x));
    }
    surplus.max(deficit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    fn gzipped(value: &Value) -> Vec<u8> {
        let mut raw = Vec::new();
        rmpv::encode::write_value(&mut raw, value).unwrap();
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(&raw).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn reads_wordfreq_buckets_as_zipf_frequencies() {
        let header = Value::Map(vec![(Value::from("format"), Value::from("cB")), (Value::from("version"), Value::from(1))]);
        let mut items = vec![header];
        items.extend((0..=300).map(|i| match i {
            127 => Value::Array(vec![Value::from("the")]),
            300 => Value::Array(vec![Value::from("hospital"), Value::from("narrow")]),
            _ => Value::Array(Vec::new()),
        }));
        let words = EnglishWords::from_wordfreq(&gzipped(&Value::Array(items))).unwrap();
        assert!((words.zipf("the") - 7.73).abs() < 1e-4);
        assert!((words.zipf("Hospital") - 6.0).abs() < 1e-4, "case-insensitive");
        assert_eq!(words.zipf("Narko"), 0.0);
    }

    #[test]
    fn near_misses_of_common_long_words() {
        let words = EnglishWords::from_pairs(&[
            ("confidential", 4.2),
            ("ceiling", 4.3),
            ("hospitals", 4.5),
            ("informatics", 3.0),
            ("confidentiality", 3.45),
        ]);
        let near = |read: &str| words.misread_as(read).collect::<Vec<_>>();
        assert_eq!(near("CONFDENTIAL"), ["confidential"]);
        assert_eq!(near("Confidentail"), ["confidential"], "two letters off a word of eleven or more");
        assert_eq!(near("Hospitels"), ["hospitals"]);
        assert_eq!(near("CONFIDENTLALTY"), ["confidentiality"], "a fax's heading, its word under Zipf 3.5");
        assert!(near("Hozpitels").is_empty(), "two letters off a shorter word");
        assert!(near("Meiling").is_empty(), "too short to be taken for a misreading");
        assert!(near("Informatiks").is_empty(), "near a word too rare to be meant");
        assert!(near("Cönfidential").is_empty(), "accents mark a name");
    }

    #[test]
    fn refuses_what_is_not_a_wordfreq_list() {
        assert!(EnglishWords::from_wordfreq(b"not gzip").is_err());
        assert!(EnglishWords::from_wordfreq(&gzipped(&Value::Array(vec![Value::from(1)]))).is_err());
    }
}
