//! Whether a line of text reads as a vehicle registration ("7ABC123", "AB12 CDE", "M AB 1234"):
//! the text half of finding a licence plate; `crate::plates` adds the plate around it.

use super::policy::letters_and_digits;
use super::Scanner;
use regex::Regex;
use std::sync::LazyLock;

/// A line read as a registration.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    /// Its letters and digits, upper case, without spaces or hyphens.
    pub compact: String,
    /// The plate format it matches, when it matches one; otherwise only the shape every
    /// registration shares (a short run of letters and digits mixed).
    pub format: Option<&'static str>,
}

/// Registrations hold five to eight letters and digits the world over (a US vanity plate may
/// hold fewer or only letters: those are left to the text rules).
const CHARS: std::ops::RangeInclusive<usize> = 5..=8;
/// A run of letters longer than this is a word, not a registration.
const MAX_LETTER_RUN: usize = 4;
/// Nor does a registration alternate letters and digits more often than this (Victoria's
/// "1AB 2CD" is four runs).
const MAX_RUNS: usize = 4;
const MAX_DIGIT_RUN: usize = 5;
/// A word of four letters or more this common in English ("WEST", "NURSES") is a word, which
/// issuing offices leave out of their series.
const WORD_ZIPF: f32 = 3.0;

/// The layouts of the registrations issued in the US states, Canada's provinces, the UK, the
/// EU's larger members and Australia's states, matched against the text as printed with its
/// separators made one space or hyphen.
static FORMATS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    [
        ("a digit, three letters and three digits (California)", r"^\d ?[A-Z]{3} ?\d{3}$"),
        ("a digit, three letters and two digits (Massachusetts)", r"^\d ?[A-Z]{3} ?\d{2}$"),
        ("three letters and four digits", r"^[A-Z]{3}[ -]?\d{4}$"),
        ("three letters and three digits", r"^[A-Z]{3}[ -]?\d{3}$"),
        ("three digits and three letters", r"^\d{3}[ -]?[A-Z]{3}$"),
        ("two letters and five digits (Illinois, Poland)", r"^[A-Z]{2} ?\d{5}$"),
        ("three letters, a letter and two digits (Florida)", r"^[A-Z]{3} ?[A-Z]\d{2}$"),
        ("a letter, two digits and three letters (New Jersey, Quebec)", r"^[A-Z]\d{2}[ -]?[A-Z]{3}$"),
        ("four letters and three digits (Ontario)", r"^[A-Z]{4} ?\d{3}$"),
        ("two letters, two digits and three letters (United Kingdom)", r"^[A-Z]{2}\d{2} ?[A-Z]{3}$"),
        ("two letters, three digits and two letters (France, Italy)", r"^[A-Z]{2}[ -]?\d{3}[ -]?[A-Z]{2}$"),
        ("a district, letters and digits (Germany)", r"^[A-ZÄÖÜ]{1,3}[ -][A-Z]{1,2} \d{1,4}[EH]?$"),
        ("four digits and three letters (Spain)", r"^\d{4} ?[A-Z]{3}$"),
        ("three groups joined by hyphens (Netherlands)", r"^(?:\d{1,3}|[A-Z]{1,3})-(?:\d{2,3}|[A-Z]{2,3})-(?:\d{1,2}|[A-Z]{1,2})$"),
        (DISTRICT_AND_ANY_FIVE, r"^[A-Z]{2,3} ?[A-Z0-9]{4,5}$"),
        ("two letters, two digits and two letters (New South Wales)", r"^[A-Z]{2} ?\d{2} ?[A-Z]{2}$"),
        ("a digit, two letters, a digit and two letters (Victoria)", r"^\d[A-Z]{2} ?\d[A-Z]{2}$"),
    ]
    .into_iter()
    .map(|(name, pattern)| (name, Regex::new(pattern).expect("valid plate format")))
    .collect()
});

/// Poland's format, whose five characters are letters or digits in any order: it places no
/// digit, so it cannot vouch for a reading of letters alone ("Ann Davis" as "ANN DAVI5").
const DISTRICT_AND_ANY_FIVE: &str = "a district and five characters (Poland)";

impl Scanner {
    /// The line as a registration, if it can be one: nothing on it but letters, digits and
    /// the separators plates use, in a registration's shape, spelling no English word, and
    /// on no allow-list of the site (a fleet's own plates).
    pub fn registration(&self, text: &str) -> Option<Registration> {
        // A plate's rim and bolts are read as stray marks at its ends ("FA-534-J]"), and a
        // country's blue band as a character of another script ("网NG 835LF").
        let text = text.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        if !text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '·' | '.')) {
            return None;
        }
        let compact = letters_and_digits(text);
        let printed = separators_normalised(&text.to_ascii_uppercase());
        if !compact.contains(|c: char| c.is_ascii_alphabetic())
            || !CHARS.contains(&compact.len())
            || self.spells_a_word(text)
            || starts_with_a_place_label(text)
            || is_a_parking_space(&printed)
            || is_a_quantity(text)
            || self.policy.allows_registration(&compact)
        {
            return None;
        }
        // A format matched, if need be with look-alikes swapped ("1UX OGW"), vouches for the
        // shape; even with every digit read as its letter ("cCL Yis"), if printed in the
        // format's groups (a run of letters is a word's). Without one the reading must have a
        // registration's shape as it stands, letters and digits both.
        let letters_alone = !compact.contains(|c: char| c.is_ascii_digit());
        let format = if letters_alone && !printed.contains([' ', '-']) { None } else { plate_format(&printed, letters_alone) };
        (format.is_some() || has_registration_shape(&compact)).then_some(Registration { compact, format })
    }

    /// Whether a run of four letters or more in the text is a common English word, as read or
    /// with digits read for the letters they look like in a word of letters ("RO0M 412",
    /// "GATE7"; a checkbox's "[1" before "Urgent" is read "11Urgent", no word once its digits
    /// are letters).
    fn spells_a_word(&self, text: &str) -> bool {
        let has_word = |word: &str| {
            word.split(|c: char| !c.is_ascii_alphabetic()).any(|run| run.len() >= MIN_WORD && self.names.english_zipf(run) >= WORD_ZIPF)
        };
        text.split([' ', '-', '.', '·']).any(|word| {
            let letters = word.chars().filter(char::is_ascii_alphabetic).count();
            let as_letters: String = word.chars().map(|c| if letters > word.len() / 2 { digit_as_letter(c) } else { c }).collect();
            has_word(word) || has_word(&as_letters)
        })
    }
}

/// A word this long or longer can be told from a registration's letters by the English list.
const MIN_WORD: usize = 4;

/// The letter a digit is mistaken for in print.
fn digit_as_letter(c: char) -> char {
    match c {
        '0' => 'O',
        '1' => 'I',
        '5' => 'S',
        '8' => 'B',
        _ => c,
    }
}

/// Labels of places and things that signs put before a number ("ROOM 412", "LOT C 118",
/// "ICU 12", "BAY 3", a telephone's "EXT 9477"): a sign's, not a plate's. Two-letter ones
/// ("RM", "FL") are left out: plates begin with any two letters.
const PLACE_LABELS: &[&str] = &[
    "AISLE", "BAY", "BED", "BLDG", "DOCK", "EXIT", "EXT", "FLOOR", "GATE", "ICU", "LEVEL", "LOT", "LVL", "NICU", "PACU", "ROOM", "ROUTE",
    "ROW", "RTE", "SEC", "SPACE", "STE", "SUITE", "UNIT", "WARD", "WING", "ZONE",
];

/// Units a number is counted in on labels and price lists ("120 CT", "500 MG", "30 CAPS").
const UNITS: &[&str] =
    &["CAP", "CAPS", "CT", "GAL", "HR", "HRS", "IU", "KG", "LB", "LBS", "MCG", "MG", "MIN", "ML", "OZ", "PK", "TAB", "TABS"];

/// A number followed by its unit, and nothing else.
fn is_a_quantity(text: &str) -> bool {
    let unit = text.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-'));
    unit.len() < text.len() && UNITS.contains(&unit.to_ascii_uppercase().as_str())
}

/// A car park's level and space, as its signs print them ("P2-B14", "L3-A07"): a level's
/// letter and number before the hyphen, which no plate format has.
static PARKING_SPACE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[PL]\d{1,2}-[A-Z]{0,2}\d{1,3}$").expect("valid pattern"));

fn is_a_parking_space(printed: &str) -> bool {
    PARKING_SPACE.is_match(printed)
}

fn starts_with_a_place_label(text: &str) -> bool {
    let first = text.split([' ', '-', '.', '·', ':']).next().unwrap_or_default().to_ascii_uppercase();
    PLACE_LABELS.contains(&first.as_str())
}

/// Digits and letters that plates' typefaces print alike, and readers take for one another
/// ("BC01 ZKA" read "BCO1 ZKA").
const LOOK_ALIKES: [(u8, u8); 6] = [(b'0', b'O'), (b'1', b'I'), (b'2', b'Z'), (b'5', b'S'), (b'6', b'G'), (b'8', b'B')];
/// At most this many such characters are tried both ways (sixteen readings).
const MAX_LOOK_ALIKES: usize = 4;

/// The format an upper-case, ASCII reading matches, as read or with some look-alike
/// characters taken for their twins, holding a digit either way; the reading as read first.
/// A reading of `letters_alone` is matched only against formats that place their digits.
fn plate_format(printed: &str, letters_alone: bool) -> Option<&'static str> {
    let twin =
        |byte: u8| LOOK_ALIKES.iter().find_map(|&(digit, letter)| (byte == digit).then_some(letter).or((byte == letter).then_some(digit)));
    let ambiguous: Vec<usize> =
        printed.bytes().enumerate().filter(|&(_, b)| twin(b).is_some()).map(|(i, _)| i).take(MAX_LOOK_ALIKES).collect();
    (0..1u32 << ambiguous.len()).find_map(|swaps| {
        let mut reading = printed.as_bytes().to_vec();
        for (bit, &at) in ambiguous.iter().enumerate() {
            if swaps & (1 << bit) != 0 {
                reading[at] = twin(reading[at]).unwrap_or(reading[at]);
            }
        }
        let reading = String::from_utf8(reading).ok()?;
        if !reading.contains(|c: char| c.is_ascii_digit()) {
            return None; // Registrations all hold digits; Poland's and the Netherlands' patterns do not ask it.
        }
        FORMATS
            .iter()
            .filter(|&&(name, _)| !(letters_alone && name == DISTRICT_AND_ANY_FIVE))
            .find(|(_, pattern)| pattern.is_match(&reading))
            .map(|&(name, _)| name)
    })
}

/// Letters and digits both, in few short runs.
fn has_registration_shape(compact: &str) -> bool {
    let runs: Vec<&str> = runs(compact).collect();
    let letters = |run: &&str| run.starts_with(|c: char| c.is_ascii_alphabetic());
    let longest = |is_letters: bool| runs.iter().filter(|run| letters(run) == is_letters).map(|run| run.len()).max().unwrap_or(0);
    runs.len() <= MAX_RUNS
        && longest(true) >= 1
        && longest(true) <= MAX_LETTER_RUN
        && longest(false) >= 1
        && longest(false) <= MAX_DIGIT_RUN
}

/// The runs of letters and of digits, in order ("7ABC123": "7", "ABC", "123").
fn runs(compact: &str) -> impl Iterator<Item = &str> {
    let mut rest = compact;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let end = rest.find(|c: char| c.is_ascii_digit() != first.is_ascii_digit()).unwrap_or(rest.len());
        let (run, after) = rest.split_at(end);
        rest = after;
        Some(run)
    })
}

/// Spaces, dots and middle dots as one space, hyphens as one hyphen.
fn separators_normalised(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split([' ', '.', '·']).filter(|w| !w.is_empty()) {
        if !out.is_empty() && !out.ends_with('-') && !word.starts_with('-') {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phi::{words::EnglishWords, NameLists, TextPolicy};

    fn scanner() -> Scanner {
        let english = EnglishWords::from_pairs(&[("room", 4.9), ("gate", 4.5), ("west", 5.0), ("urgent", 4.4)]);
        let policy = TextPolicy::parse("[text]\nallow = [\"MEDIC 12\", \"AMB-4471\"]").unwrap();
        Scanner::new(NameLists::default().with_english(english), policy)
    }

    fn format(text: &str) -> Option<Option<&'static str>> {
        scanner().registration(text).map(|r| r.format)
    }

    #[test]
    fn registrations_of_many_countries_match_their_format() {
        for (plate, country) in [
            ("7ABC123", "California"),
            ("ABC-1234", "three letters and four digits"),
            ("AB12 CDE", "United Kingdom"),
            ("AB-123-CD", "France"),
            ("M AB 1234", "Germany"),
            ("12-ABC-3", "Netherlands"),
            ("1234 BCD", "Spain"),
            ("WA 12345", "Poland"),
            ("ABCD 123", "Ontario"),
            ("A12 BCD", "Quebec"),
            ("1AB 2CD", "Victoria"),
            ("AB 12 CD", "New South Wales"),
        ] {
            let found = format(plate).unwrap_or_else(|| panic!("{plate} is no registration"));
            assert!(found.is_some_and(|name| name.contains(country)), "{plate}: {found:?}");
        }
        assert_eq!(scanner().registration("ab-123-cd").unwrap().compact, "AB123CD", "read in lower case");
        assert_eq!(scanner().registration(".FA-534-JM]").unwrap().compact, "FA534JM", "the rim read as marks at the ends");
        assert_eq!(scanner().registration("网NG 835LF").unwrap().compact, "NG835LF", "a country band read as a character");
    }

    #[test]
    fn a_letter_read_for_a_digit_that_looks_alike_still_matches_its_format() {
        assert!(format("BCO1 ZKA").unwrap().is_some_and(|name| name.contains("United Kingdom")));
        assert!(format("7ABC12B").unwrap().is_some_and(|name| name.contains("California")), "an 8 read as B");
        assert!(format("1UX OGW").unwrap().is_some_and(|name| name.contains("Victoria")), "five letters in a row as read");
        assert!(format("cCL YI5").unwrap().is_some_and(|name| name.contains("Florida")), "a 1 read as I, in lower case");
        assert!(format("FL 86487").unwrap().is_some(), "FL is a floor on a sign, and a district on a plate");
        assert!(format("cCL Yis").unwrap().is_some_and(|name| name.contains("Florida")), "every digit read as a letter");
    }

    #[test]
    fn a_registrations_shape_without_a_known_format_is_still_one() {
        assert_eq!(format("K7 PX41"), Some(None));
        assert_eq!(format("PZ-B14"), Some(None), "a German plate sets its number apart");
    }

    #[test]
    fn words_money_times_and_long_numbers_are_no_registrations() {
        for not_one in [
            "ROOM 412",
            "RO0M 412",
            "GATE 17",
            "4 WEST",
            "LEVEL 2",
            "COVID-19",
            "$3.00/HR",
            "10:45",
            "1234567",
            "ABCDEFG",
            "MRN 12345678",
            "ICU",
            "ICU 12",
            "LOT C 118",
            "BAY 3A21",
            "GATE7",
            "11Urgent",
            "120 CT",
            "500 mg",
            "30 CAPS",
            "EXT 9477",
            "ext 3855",
            "P2-B14",
            "L3 - A07",
            "555 0123",
            "ABC DEF",
            "Ann Davis",
            "Eye Drops",
        ] {
            assert_eq!(format(not_one), None, "{not_one}");
        }
    }

    #[test]
    fn the_sites_allow_list_clears_its_fleets_plates() {
        assert_eq!(format("MEDIC 12"), None, "a word anyway");
        assert_eq!(format("AMB-4471"), None);
        assert!(format("AMB-4472").is_some());
    }
}
