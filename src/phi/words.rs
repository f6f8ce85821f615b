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
        Ok(Self { zipf })
    }

    pub fn is_empty(&self) -> bool {
        self.zipf.is_empty()
    }

    /// The word's Zipf frequency, 0 when it is not on the list; case-insensitive.
    pub fn zipf(&self, word: &str) -> f32 {
        self.zipf.get(&word.to_lowercase()).copied().unwrap_or(0.0)
    }

    #[cfg(test)]
    pub fn from_pairs(pairs: &[(&str, f32)]) -> Self {
        Self { zipf: pairs.iter().map(|&(w, z)| (w.to_string(), z)).collect() }
    }
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
    fn refuses_what_is_not_a_wordfreq_list() {
        assert!(EnglishWords::from_wordfreq(b"not gzip").is_err());
        assert!(EnglishWords::from_wordfreq(&gzipped(&Value::Array(vec![Value::from(1)]))).is_err());
    }
}
