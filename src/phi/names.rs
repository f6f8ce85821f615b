//! Person names from the 1990 US Census lists (the `names==0.3.0` source package) and the
//! names of some ninety other countries and languages (Faker's lists, `world-names.txt`), and
//! how common a word is in English: a pair of capitalised words that is a first name and a
//! surname, in either order, is a name, and so is a listed name beside a rare word that is no
//! ordinary English ("Kevin Narko", "Narko, Kevin"). Words are compared with their accents
//! folded ("García" is GARCIA), so names written in their own spelling are found too.

use super::words::{EnglishWords, WORD_FREQUENCIES_FILE};
use crate::infer::Manifest;
use anyhow::Result;
use std::collections::HashSet;
use unicode_normalization::UnicodeNormalization;

pub const LAST_NAMES_FILE: &str = "census-last-names.txt";
pub const FIRST_NAMES_FILES: [&str; 2] = ["census-female-first-names.txt", "census-male-first-names.txt"];
/// One `first WORD` or `last WORD` per line (derived by `scripts/derive-world-names.py`).
pub const WORLD_NAMES_FILE: &str = "world-names.txt";

/// Words on the census lists that are far more often part of a place, a service or a sign
/// than of a name: "Carson Street", "Hope Center", "Grace Hall" are not people, nor are a
/// hospital's rooms and services on a directory or a schedule ("Chapel", "Cath Lab", "Gift").
const NOT_NAMES: &[&str] = &[
    "AVENUE", "BAY", "BED", "BIG", "BILLING", "CARE", "CENTER", "CENTRE", "CHAPEL", "CHILD", "CITY", "CLINIC", "CORP", "COUNTY", "COURT",
    "DAY", "DOCTOR", "DRIVE", "EAST", "FIELD", "FLOOR", "GATE", "GIFT", "HALL", "HANDS", "HILL", "HOME", "HOUSE", "KITCHEN", "LAB",
    "LABOR", "LAKE", "LANE", "LAUNDRY", "LITTLE", "NEW", "NIGHT", "NORTH", "NURSE", "OFFICE", "PARK", "PLACE", "ROAD", "ROOM", "SAMPLE",
    "SMALL", "SOUTH", "STAFF", "STAIRS", "STATE", "STREET", "SUITE", "TOWER", "TOWN", "UNIT", "WASH", "WAY", "WEST", "WING",
];

/// A word as rare as this in English (Zipf frequency, see `EnglishWords`) or rarer is no
/// ordinary word: beside a first name, it is taken for a surname. Common words that are also
/// names ("Little", "Young") are on the census lists and judged there.
const RARE_WORD_ZIPF: f32 = 3.0;

/// A name of the world lists that is also this common in English ("Topic", "Soon", "Sales",
/// "York") is left out: unlike the census names, nothing else judges these words, and such a
/// word beside any rare one would make a name of an ordinary phrase. The same cut-off as for
/// a line of uncommon words taken for a name (`person::LINE_MAX_ZIPF`).
const WORLD_NAME_MAX_ZIPF: f32 = 4.0;

/// Upper-case, accent-folded first names and surnames, and the English words they are told
/// apart from.
#[derive(Debug, Clone, Default)]
pub struct NameLists {
    first: HashSet<String>,
    last: HashSet<String>,
    english: EnglishWords,
}

/// What a capitalised word is, as evidence for a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameEvidence {
    /// On a first-name list only.
    FirstName,
    /// On a surname list (and perhaps a first-name list too).
    Surname,
    /// On neither list and rare in English: a name the lists do not know, or a misreading.
    Rare,
    /// An ordinary English word that is no name on the lists, or one misread ("Cardiofogy").
    Word,
}

impl NameLists {
    /// The verified census and world name lists from the models directory.
    pub fn load(manifest: &Manifest) -> Result<Self> {
        let text = |file: &str| -> Result<String> { Ok(String::from_utf8_lossy(&manifest.read_verified(file)?.0).into_owned()) };
        let first: Vec<String> = FIRST_NAMES_FILES.iter().map(|f| text(f)).collect::<Result<_>>()?;
        let census = Self::from_census(&text(LAST_NAMES_FILE)?, &first.iter().map(String::as_str).collect::<Vec<_>>());
        let english = EnglishWords::from_wordfreq(&manifest.read_verified(WORD_FREQUENCIES_FILE)?.0)?;
        Ok(census.with_english(english).with_world_names(&text(WORLD_NAMES_FILE)?))
    }

    /// Adds the world lists' names (`first WORD` or `last WORD` per line) but those that are
    /// common English words, which is why the English list comes first.
    pub fn with_world_names(mut self, listed: &str) -> Self {
        for (kind, word) in listed.lines().filter_map(|line| line.split_once(' ')) {
            let folded = fold(word);
            if NOT_NAMES.contains(&folded.as_str()) || self.english_zipf(word) > WORLD_NAME_MAX_ZIPF {
                continue;
            }
            match kind {
                "first" => self.first.insert(folded),
                "last" => self.last.insert(folded),
                _ => false,
            };
        }
        self
    }

    pub fn with_english(self, english: EnglishWords) -> Self {
        Self { english, ..self }
    }

    /// Census layout: one name per line, then its frequency, cumulative frequency and rank.
    pub fn from_census(last: &str, first: &[&str]) -> Self {
        let names = |text: &str| -> HashSet<String> {
            text.lines()
                .filter_map(|line| line.split_whitespace().next())
                .filter(|name| !NOT_NAMES.contains(name))
                .map(str::to_string)
                .collect()
        };
        Self { first: first.iter().flat_map(|text| names(text)).collect(), last: names(last), english: EnglishWords::default() }
    }

    /// What `word` says of a name, whatever its case and accents.
    pub fn evidence(&self, word: &str) -> NameEvidence {
        let folded = fold(word);
        if self.last.contains(&folded) {
            NameEvidence::Surname
        } else if self.first.contains(&folded) {
            NameEvidence::FirstName
        } else if let Some(parts) = hyphenated_parts(word) {
            self.evidence_of_parts(parts)
        } else if self.is_uncommon_as_meant(word, RARE_WORD_ZIPF) {
            NameEvidence::Rare
        } else {
            NameEvidence::Word
        }
    }

    /// Whether `word` is uncommon (`is_uncommon`) and no common word misread either: what a
    /// name the lists do not know must be, whichever rule asks.
    pub fn is_uncommon_as_meant(&self, word: &str, max_zipf: f32) -> bool {
        self.is_uncommon(word, max_zipf) && !self.is_misread_word(word)
    }

    /// Whether a word on no list is a common English word misread ("Cardiofogy",
    /// "TRANSMESSION"): not when the word it is near is a name ("Madisonn" may be Madison).
    fn is_misread_word(&self, word: &str) -> bool {
        let on_no_list = |word: &str| self.lists_holding(word) == (false, false);
        on_no_list(word) && self.english.misread_as(word).any(on_no_list)
    }

    /// A double-barrelled name the lists do not hold whole ("Frimpong-Haile", "Hyun-woo") is
    /// what its parts are: a surname if any part is one, else a first name if any part is one.
    /// Ordinary words make an ordinary
    /// compound ("Follow-up", "Self-Pay"); one among names ("Wing-Yan", "Wing" being left off
    /// the lists as a building's) leaves it a name the lists do not know.
    fn evidence_of_parts<'w>(&self, parts: impl Iterator<Item = &'w str>) -> NameEvidence {
        use NameEvidence::*;
        let parts: Vec<NameEvidence> = parts.map(|part| self.evidence(part)).collect();
        if parts.iter().all(|&part| part == Word) {
            Word
        } else if parts.contains(&Word) {
            Rare
        } else if parts.contains(&Surname) {
            Surname
        } else if parts.contains(&FirstName) {
            FirstName
        } else {
            Rare
        }
    }

    /// Whether `word` is no more common in English than `max_zipf` and no word of places and
    /// services; never without the English list, which alone can tell.
    pub fn is_uncommon(&self, word: &str, max_zipf: f32) -> bool {
        !self.english.is_empty() && self.english_zipf(word) <= max_zipf && !NOT_NAMES.contains(&fold(word).as_str())
    }

    /// Whether every word of `text` is an ordinary English word on no name list ("Happy
    /// Halloween"); never without the English list, which alone can tell. A word with a digit
    /// between its letters is a misreading ("Gl6ria"), whose pieces say nothing ("Bed 4B" and
    /// "x2" hold digits only at a word's edge).
    pub fn only_ordinary_words(&self, text: &str) -> bool {
        let misread = |token: &str| token.trim_matches(|c: char| c.is_ascii_digit()).contains(|c: char| c.is_ascii_digit());
        let words =
            text.split(|c: char| !(c.is_alphabetic() || matches!(c, '\'' | '’' | '-'))).filter(|w| w.chars().any(char::is_alphabetic));
        !self.english.is_empty()
            && !text.split(|c: char| !c.is_alphanumeric()).any(misread)
            && words.into_iter().all(|word| self.evidence(word) == NameEvidence::Word)
    }

    /// How common `word` is in English, accents folded (see `EnglishWords::zipf`).
    pub fn english_zipf(&self, word: &str) -> f32 {
        self.english.zipf(word).max(self.english.zipf(&fold(word)))
    }

    /// "John Smith", "SMITH JOHN", "Doe, Jane": one a first name, the other a surname, both
    /// capitalised (a sentence's "will grant" is not a name).
    pub fn is_full_name(&self, a: &str, b: &str) -> bool {
        let ((a_first, a_last), (b_first, b_last)) = (self.lists_holding(a), self.lists_holding(b));
        (a_first && b_last) || (a_last && b_first)
    }

    /// Whether the first-name and the surname lists hold `word`, or for a double-barrelled
    /// name they do not hold whole, one of its parts (see `evidence_of_parts`).
    fn lists_holding(&self, word: &str) -> (bool, bool) {
        let folded = fold(word);
        let whole = (self.first.contains(&folded), self.last.contains(&folded));
        match hyphenated_parts(word) {
            Some(parts) if whole == (false, false) && self.evidence(word) != NameEvidence::Word => {
                parts.map(|part| self.lists_holding(part)).fold(whole, |(first, last), part| (first || part.0, last || part.1))
            }
            _ => whole,
        }
    }
}

/// A word of a name in any script, with the apostrophes and hyphens inside it ("O'Neil",
/// "Haile-Mariam", "Nguyễn"); a hyphen at its end breaks the line, and "Cancer-" is "Cancer".
pub const NAME_WORD_PATTERN: &str = r"\p{L}(?:[\p{L}\p{M}'’-]*[\p{L}\p{M}])?";

/// Upper case with accents and strokes folded away: "García" -> "GARCIA", "Wiśniewska" ->
/// "WISNIEWSKA", "Nguyễn" -> "NGUYEN", "Łukasz" -> "LUKASZ".
pub fn fold(word: &str) -> String {
    word.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(|c| {
            let plain = match c {
                'ł' | 'Ł' => 'L',
                'ø' | 'Ø' => 'O',
                'đ' | 'Đ' => 'D',
                _ => c,
            };
            plain.to_uppercase()
        })
        .collect()
}

/// The parts of a hyphenated word of at least two letters each; `None` for any other word.
pub(super) fn hyphenated_parts(word: &str) -> Option<std::str::Split<'_, char>> {
    (word.contains('-') && word.split('-').all(|part| part.chars().count() >= 2)).then(|| word.split('-'))
}

/// Each part ("O'Neil", "Mary-Ann") starts with a capital and is all lower-case or all
/// upper-case after it, or has one more capital after a prefix of one or two letters
/// ("McGee", "MacNamara", "LeBlanc"); after a hyphen a part may also be all lower-case, as
/// romanised Korean given names are written ("Seo-yeon", "Hyun-woo").
pub fn is_capitalised(word: &str) -> bool {
    let mut parts = word.split('-').filter(|part| !part.is_empty());
    let first = parts.next().is_some_and(is_capitalised_part);
    first
        && parts.all(|part| is_capitalised_part(part) || part.chars().all(char::is_lowercase))
        && word.starts_with(|c: char| c.is_alphabetic())
}

fn is_capitalised_part(part: &str) -> bool {
    part.split(['\'', '’']).filter(|piece| !piece.is_empty()).all(|piece| {
        let mut letters = piece.chars();
        let first_is_capital = letters.next().is_some_and(char::is_uppercase);
        let rest: Vec<char> = letters.collect();
        let inner_capital = rest.iter().position(|c| c.is_uppercase()).is_some_and(|at| {
            (1..=2).contains(&at) && rest.len() >= at + 3 && rest.iter().enumerate().all(|(i, c)| i == at || c.is_lowercase())
        });
        first_is_capital && (rest.iter().all(|c| c.is_lowercase()) || rest.iter().all(|c| c.is_uppercase()) || inner_capital)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample() -> NameLists {
        NameLists::from_census(
            "SMITH 1.006 1.006 1\nJOHNSON 0.810 1.816 2\nDOE 0.004 50.0 2117\nSTREET 0.003 60.0 1513\nLAB 0.001 70.0 9999\n",
            &["JOHN 3.271 6.589 2\nDAVID 2.0 8.0 5\nCARSON 0.01 80.0 774\n", "JANE 0.2 20.0 40\n"],
        )
    }

    #[test]
    fn a_first_name_and_a_surname_in_either_order_make_a_name() {
        let names = sample();
        assert!(names.is_full_name("John", "Smith"));
        assert!(names.is_full_name("DOE", "JANE"));
        assert!(names.is_full_name("Johnson", "David"));
        assert!(!names.is_full_name("John", "David"), "two first names");
        assert!(!names.is_full_name("Carson", "Street"), "a street word is not a surname");
        assert!(!names.is_full_name("Jane", "Lab"), "nor is a hospital's room");
    }

    #[test]
    fn world_names_are_folded_and_common_english_words_among_them_left_out() {
        let english = EnglishWords::from_pairs(&[("topic", 4.3), ("chiamaka", 0.0)]);
        let names = sample().with_english(english).with_world_names("first Chiamaka\nlast Adéyẹmí\nlast Topic\nlast Street\nbad line\n");
        assert!(names.is_full_name("CHIAMAKA", "Adeyemi"), "accents folded on both sides");
        assert!(names.is_full_name("John", "Adeyemi"), "world and census names pair up");
        assert_eq!(names.evidence("Topic"), NameEvidence::Word, "a common English word is no name");
        assert!(!names.is_full_name("John", "Street"), "the census's own exclusions hold for the world lists");
    }

    #[test]
    fn ordinary_words_are_told_from_names_only_with_the_english_list() {
        let english = EnglishWords::from_pairs(&[("halloween", 4.1), ("happy", 5.5), ("smith", 4.6), ("little", 5.9)]);
        let names = sample().with_english(english);
        assert!(names.only_ordinary_words("Happy Halloween!"));
        assert!(!names.only_ordinary_words("Happy Smith"), "a census surname, however common a word");
        assert!(!names.only_ordinary_words("Little, Oyelaran"), "a word too rare for the English list");
        assert!(!names.only_ordinary_words("Happy G6ia"), "a misread word is no ordinary one, whatever its pieces");
        assert!(names.only_ordinary_words("Happy 4Halloween2"), "digits at a word's edge");
        assert!(!sample().only_ordinary_words("Happy Halloween"), "without the English list nothing is ruled out");
    }

    #[test]
    fn double_barrelled_names_are_what_their_parts_are() {
        let english = EnglishWords::from_pairs(&[("follow", 5.2), ("up", 6.5), ("woo", 3.1)]);
        let names = sample().with_english(english).with_world_names("first Hyun\nlast Woo\n");
        assert_eq!(names.evidence("Smith-Johnson"), NameEvidence::Surname);
        assert_eq!(names.evidence("Jane-David"), NameEvidence::FirstName);
        assert_eq!(names.evidence("Hyun-woo"), NameEvidence::Surname, "a surname among the parts");
        assert_eq!(names.evidence("Jane-Oyelaran"), NameEvidence::FirstName, "a rare part");
        assert_eq!(names.evidence("Follow-up"), NameEvidence::Word, "an ordinary compound");
        assert_eq!(names.evidence("Follow-Smith"), NameEvidence::Rare, "a word among names");
        assert!(names.is_full_name("Smith-Oyelaran", "Jane") && names.is_full_name("Hyun-woo", "Smith"), "they pair as their parts do");
        assert!(!names.is_full_name("Follow-up", "Jane"));
    }

    #[test]
    fn a_common_word_misread_is_a_word_unless_the_word_it_is_near_is_a_name() {
        let english = EnglishWords::from_pairs(&[("cardiology", 3.6), ("transmission", 3.9), ("johnson", 4.0)]);
        let names = sample().with_english(english);
        assert_eq!(names.evidence("Cardiofogy"), NameEvidence::Word, "one letter off");
        assert_eq!(names.evidence("TRANSMAESSION"), NameEvidence::Word, "two letters off a long word");
        assert_eq!(names.evidence("Cardiofogg"), NameEvidence::Rare, "two letters off a word of ten");
        assert_eq!(names.evidence("Johnsonn"), NameEvidence::Rare, "near a word that is a surname");
        assert_eq!(names.evidence("Oyelaran"), NameEvidence::Rare, "near no common word");
    }

    #[test]
    fn capitalisation() {
        assert!(is_capitalised("Smith") && is_capitalised("SMITH") && is_capitalised("O'Neil"));
        assert!(!is_capitalised("smith") && !is_capitalised("SMith") && !is_capitalised("42"));
        assert!(is_capitalised("McGee") && is_capitalised("MacNamara") && is_capitalised("Ó'Dónaill") && is_capitalised("García"));
        assert!(!is_capitalised("WiFi") && !is_capitalised("PhD"), "a capital after a longer run is no name prefix");
        assert!(is_capitalised("Seo-yeon") && !is_capitalised("seo-Yeon") && !is_capitalised("O'neil"), "lower case after a hyphen only");
    }
}
