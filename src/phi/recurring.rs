//! A name found on a page is a name wherever else the page shows it: the patient's surname
//! in a signature ("Olaniyon" under "OLANIYAN, OBINNA MD"), a first name alone on a
//! whiteboard, a clinician listed twice. Alone, such a word is evidence of nothing (a lone
//! capitalised word is as often a heading); beside the same word found as a name, it is one.

use super::assess::TextLine;
use super::names::{fold, NameEvidence, NameLists, NAME_WORD_PATTERN};
use super::{PhiCategory, PhiMatch};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// Shorter words recur by chance ("Lee", "Kim" in "Kimberly Rd").
const MIN_LETTERS: usize = 4;
/// From this length a word one letter off a name found is that name misread ("Cheing" for
/// "Cheung", "Odonez" for "Ordóñez"); shorter words differ by one letter too often.
const MISREAD_MIN_LETTERS: usize = 6;
/// A listed name more common in English than this ("Grant", "Young", "Will") recurs by chance.
const MAX_ZIPF: f32 = 4.0;
/// As sure as a census name alone on its line.
const RECURRING_NAME_STRENGTH: f32 = 0.6;

static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(NAME_WORD_PATTERN).expect("valid word pattern"));

/// For each line, the words that are a name found on another line of the page (or elsewhere
/// on the same line) as surely as `min_strength`, which its own matches do not cover yet.
pub fn names_found_elsewhere(lines: &[TextLine], read: &[Vec<PhiMatch>], names: &NameLists, min_strength: f32) -> Vec<Vec<PhiMatch>> {
    let found: HashSet<String> = lines
        .iter()
        .zip(read)
        .flat_map(|(line, matches)| {
            matches
                .iter()
                .filter(|m| m.category == PhiCategory::Name && m.strength >= min_strength)
                .filter_map(|m| line.text.get(m.range.clone()))
        })
        .flat_map(|name| WORD.find_iter(name).map(|word| word.as_str()))
        .filter(|word| could_recur(word, names))
        .map(fold)
        .collect();
    if found.is_empty() {
        return vec![Vec::new(); lines.len()];
    }
    lines
        .iter()
        .zip(read)
        .map(|(line, matches)| {
            let named_already = |range: &std::ops::Range<usize>| {
                matches.iter().any(|m| m.category == PhiCategory::Name && m.range.start <= range.start && range.end <= m.range.end)
            };
            WORD.find_iter(&line.text)
                .filter(|word| word.as_str().starts_with(char::is_uppercase) && could_recur(word.as_str(), names))
                .filter(|word| !named_already(&word.range()))
                .filter(|word| is_one_of(&fold(word.as_str()), &found))
                .map(|word| PhiMatch {
                    category: PhiCategory::Name,
                    range: word.range(),
                    strength: RECURRING_NAME_STRENGTH,
                    reason: "a name found elsewhere on the page".into(),
                })
                .collect()
        })
        .collect()
}

/// Whether `word` is long enough and no common English word ("Grant", "Sincerely").
fn could_recur(word: &str, names: &NameLists) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= MIN_LETTERS
        && names.evidence(word) != NameEvidence::Word
        && names.english_zipf(word) < MAX_ZIPF
}

/// Whether `folded` is one of the names `found`, or one letter off one of them when long. Only
/// a name within a letter of its length can be, so only those are compared letter by letter
/// (a crafted page of thousands of names would otherwise cost millions of edit distances).
fn is_one_of(folded: &str, found: &HashSet<String>) -> bool {
    let letters = folded.chars().count();
    let comparable = |name: &&String| {
        let name_letters = name.chars().count();
        name_letters >= MISREAD_MIN_LETTERS && name_letters.abs_diff(letters) <= 1
    };
    found.contains(folded)
        || (letters >= MISREAD_MIN_LETTERS && found.iter().filter(comparable).any(|name| strsim::levenshtein(folded, name) <= 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phi::words::EnglishWords;

    fn names() -> NameLists {
        let english =
            [("grant", 4.9), ("sincerely", 4.2), ("pharmacy", 4.4), ("lee", 4.6), ("olaniyan", 0.0), ("obinna", 0.0), ("darko", 0.0)];
        NameLists::from_census("GRANT 0.01 80.0 900\nLEE 0.4 10.0 30\n", &["OBINNA 0.001 90.0 5000\n"])
            .with_english(EnglishWords::from_pairs(&english))
    }

    fn page(texts: &[&str], name_on_first: &str, strength: f32) -> (Vec<TextLine>, Vec<Vec<PhiMatch>>) {
        let lines: Vec<TextLine> = texts.iter().enumerate().map(|(row, text)| TextLine::typed(row, text)).collect();
        let mut read = vec![Vec::new(); lines.len()];
        let start = texts[0].find(name_on_first).expect("name on the first line");
        read[0].push(PhiMatch { category: PhiCategory::Name, range: start..start + name_on_first.len(), strength, reason: "test".into() });
        (lines, read)
    }

    #[test]
    fn a_name_found_once_is_found_again_misread_or_in_another_case() {
        let texts = ["OLANIYAN, OBINNA MD", "Sincerely,", "Olaniyon", "Obinna", "OBINNA"];
        let (lines, read) = page(&texts, "OLANIYAN, OBINNA", 0.8);
        let again = names_found_elsewhere(&lines, &read, &names(), 0.5);
        assert!(again[0].is_empty() && again[1].is_empty(), "{again:?}");
        for row in 2..5 {
            assert_eq!(again[row].len(), 1, "{}: {again:?}", texts[row]);
            assert_eq!(again[row][0].range, 0..texts[row].len());
        }
    }

    #[test]
    fn ordinary_words_short_words_and_weak_names_do_not_recur() {
        // "Darke" is one letter off "Darko", but a word that short is not taken for it.
        let texts = ["Grant Lee Darko", "Grant", "Lee", "Darke", "Darko Pharmacy"];
        let (lines, read) = page(&texts, "Grant Lee Darko", 0.8);
        let again = names_found_elsewhere(&lines, &read, &names(), 0.5);
        assert!(again[..4].iter().all(Vec::is_empty), "{again:?}");
        assert_eq!(again[4].len(), 1, "{again:?}");
        assert_eq!(again[4][0].range, 0..5, "the name, not the organisation's word after it");
        let (lines, read) = page(&texts, "Grant Lee Darko", 0.4);
        assert!(names_found_elsewhere(&lines, &read, &names(), 0.5).iter().all(Vec::is_empty));
    }
}
