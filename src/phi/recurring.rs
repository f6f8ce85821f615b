//! What a page shows as PHI once is PHI wherever else the page shows it.
//!
//! A name: the patient's surname in a signature ("Olaniyon" under "OLANIYAN, OBINNA MD"), a
//! first name alone on a whiteboard, a clinician listed twice. Alone, such a word is evidence
//! of nothing (a lone capitalised word is as often a heading); beside the same word found as a
//! name, it is one.
//!
//! An identifier: a wristband's record number printed again along its edge or under its
//! barcode ("VL9302" beside "MRN VL9302"), with no label of its own.

use super::assess::TextLine;
use super::names::{fold, NameEvidence, NameLists, NAME_WORD_PATTERN};
use super::policy::letters_and_digits;
use super::{PhiCategory, PhiMatch};
use crate::geometry::BBox;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Shorter words recur by chance ("Lee", "Kim" in "Kimberly Rd").
const MIN_LETTERS: usize = 4;
/// From this length a word one letter off a name found is that name misread ("Cheing" for
/// "Cheung", "Odonez" for "Ordóñez"); shorter words differ by one letter too often.
const MISREAD_MIN_LETTERS: usize = 6;
/// A listed name more common in English than this ("Grant", "Young", "Will") recurs by chance.
const MAX_ZIPF: f32 = 4.0;
/// As sure as a census name alone on its line.
const RECURRING_STRENGTH: f32 = 0.6;
/// An identifier recurs when it has at least this many letters and digits, this many of them
/// digits: shorter numbers (a room, a dose, a year) recur by chance.
const MIN_IDENTIFIER_CHARS: usize = 5;
const MIN_IDENTIFIER_DIGITS: usize = 4;
/// Digits alone are an identifier's number without its letters ("34354" for "E34354") when
/// there are at least this many of them.
const MIN_BARE_NUMBER_DIGITS: usize = 5;

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
                    strength: RECURRING_STRENGTH,
                    reason: "a name found elsewhere on the page".into(),
                })
                .collect()
        })
        .collect()
}

/// For each line, the tokens that are an identifier found elsewhere on the page as surely as
/// `min_strength` (its letters and digits the same, or its digits alone), which the line's own
/// matches do not cover yet. Elsewhere is another place: the same region read twice is one
/// sighting, and the less sure reading's misread ("NDC5918-8760" as one code) says nothing.
pub fn identifiers_found_elsewhere(lines: &[TextLine], read: &[Vec<PhiMatch>], min_strength: f32) -> Vec<Vec<PhiMatch>> {
    let mut found: HashMap<String, Vec<(PhiCategory, BBox)>> = HashMap::new();
    for (line, matches) in lines.iter().zip(read) {
        for m in matches.iter().filter(|m| m.category.is_identifier() && m.strength >= min_strength) {
            let Some(text) = line.text.get(m.range.clone()) else { continue };
            for token in
                TOKEN.find_iter(text).map(|token| letters_and_digits(token.as_str())).filter(|token| could_recur_as_identifier(token))
            {
                if let Some(number) = bare_number_of(&token) {
                    found.entry(number).or_default().push((m.category, line.bbox));
                }
                found.entry(token).or_default().push((m.category, line.bbox));
            }
        }
    }
    if found.is_empty() {
        return vec![Vec::new(); lines.len()];
    }
    let found_elsewhere = |characters: &str, here: &BBox| {
        let elsewhere = found.get(characters)?.iter().filter(|(_, there)| !same_place(here, there));
        elsewhere.map(|&(category, _)| category).reduce(more_telling)
    };
    lines
        .iter()
        .zip(read)
        .map(|(line, matches)| {
            let covered = |range: &std::ops::Range<usize>| matches.iter().any(|m| m.range.start <= range.start && range.end <= m.range.end);
            TOKEN
                .find_iter(&line.text)
                .filter(|token| !covered(&token.range()))
                .filter_map(|token| {
                    let category = found_elsewhere(&letters_and_digits(token.as_str()), &line.bbox)?;
                    Some(PhiMatch {
                        category,
                        range: token.range(),
                        strength: RECURRING_STRENGTH,
                        reason: format!("{} found elsewhere on the page", category.described()),
                    })
                })
                .collect()
        })
        .collect()
}

/// Of two kinds one identifier was found as, the more telling: "E34354" found as both is a
/// record number more than "an identifier".
fn more_telling(kept: PhiCategory, other: PhiCategory) -> PhiCategory {
    if kept == PhiCategory::OtherIdentifier {
        other
    } else {
        kept
    }
}

/// Whether two lines' boxes are mostly one place: one region, read twice.
fn same_place(a: &BBox, b: &BBox) -> bool {
    a.intersection(b) >= 0.5 * a.area().min(b.area())
}

/// A run of letters, digits and the joiners inside identifiers ("93-4558", "A.123/45"),
/// compared by its `letters_and_digits`: "vl-9302" and "VL9302" are one identifier.
static TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[\p{L}\p{N}]+(?:[-./][\p{L}\p{N}]+)*").expect("valid token pattern"));

/// The number of an identifier that also has letters, when long enough to recur alone.
fn bare_number_of(characters: &str) -> Option<String> {
    let digits: String = characters.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= MIN_BARE_NUMBER_DIGITS && digits.len() < characters.chars().count()).then_some(digits)
}

/// Whether a token is long enough, and enough of a number, not to recur by chance.
fn could_recur_as_identifier(characters: &str) -> bool {
    characters.chars().count() >= MIN_IDENTIFIER_CHARS && characters.chars().filter(char::is_ascii_digit).count() >= MIN_IDENTIFIER_DIGITS
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
        page_with(texts, &[(0, name_on_first, PhiCategory::Name, strength)])
    }

    /// Typed lines, with each `(row, part, category, strength)` found in them.
    fn page_with(texts: &[&str], found: &[(usize, &str, PhiCategory, f32)]) -> (Vec<TextLine>, Vec<Vec<PhiMatch>>) {
        let lines: Vec<TextLine> = texts.iter().enumerate().map(|(row, text)| TextLine::typed(row, text)).collect();
        let mut read = vec![Vec::new(); lines.len()];
        for &(row, part, category, strength) in found {
            let start = texts[row].find(part).expect("the part is on its line");
            read[row].push(PhiMatch { category, range: start..start + part.len(), strength, reason: "test".into() });
        }
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

    #[test]
    fn an_identifier_found_once_is_found_again_with_or_without_its_letters() {
        use PhiCategory::{MedicalRecordNumber, OtherIdentifier};
        let texts = ["MRN VL9302", "VL9302", "MRN E34354", "34354", "vl-9302 Rm 12", "Lot VL93020"];
        let found = [(0, "VL9302", MedicalRecordNumber, 0.8), (2, "E34354", OtherIdentifier, 0.6), (2, "E34354", MedicalRecordNumber, 0.8)];
        let (lines, read) = page_with(&texts, &found);
        let again = identifiers_found_elsewhere(&lines, &read, 0.5);
        let found_again = |row: usize| again[row].iter().map(|m| (&texts[row][m.range.clone()], m.category)).collect::<Vec<_>>();
        assert!(again[0].is_empty() && again[2].is_empty(), "their own matches cover them: {again:?}");
        assert_eq!(found_again(1), [("VL9302", MedicalRecordNumber)]);
        assert_eq!(found_again(3), [("34354", MedicalRecordNumber)], "the record number's digits alone");
        assert_eq!(found_again(4), [("vl-9302", MedicalRecordNumber)], "in another case, with a hyphen");
        assert!(again[5].is_empty(), "a longer code that contains it is another code: {again:?}");
    }

    #[test]
    fn short_numbers_weak_identifiers_and_other_kinds_do_not_recur() {
        use PhiCategory::{AccountNumber, Date, Name, OtherIdentifier};
        let texts = ["Acct A1234 Ref B777", "1234", "A1234", "Z98765 03/04/2021", "Z98765", "03/04/2021", "Osei 40213", "40213"];
        let found = [
            (0, "A1234", AccountNumber, 0.8),
            (0, "B777", AccountNumber, 0.8),
            (3, "Z98765", OtherIdentifier, 0.4),
            (3, "03/04/2021", Date, 0.9),
            (6, "Osei 40213", Name, 0.9),
        ];
        let (lines, read) = page_with(&texts, &found);
        let again = identifiers_found_elsewhere(&lines, &read, 0.5);
        assert_eq!(again[2].len(), 1, "{again:?}");
        assert_eq!(again[2][0].range, 0..5);
        for row in [1, 4, 5, 7] {
            assert!(again[row].is_empty(), "{}: {again:?}", texts[row]);
        }
    }

    #[test]
    fn a_region_read_twice_is_one_sighting() {
        let texts = ["NDC5918-8760", "NDC 5918-8760", "5918-8760"];
        let (mut lines, read) = page_with(&texts, &[(0, "NDC5918-8760", PhiCategory::OtherIdentifier, 0.6)]);
        lines[1].bbox = lines[0].bbox;
        let again = identifiers_found_elsewhere(&lines, &read, 0.5);
        assert!(again[1].is_empty(), "the same place read again: {again:?}");
        assert_eq!(again[2].len(), 1, "its digits in another place: {again:?}");
    }
}
