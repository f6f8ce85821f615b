//! Letters a recognizer commonly mistakes for digits or for each other in names: "Schu11" for
//! "Schull", "CHOl" for "CHOI", "0'Neil" for "O'Neil", "SMITh" for "SMITH"; and the other way
//! round in numbers: "555 O148" for "555 0148", "(505> 555-0160" for "(505) 555-0160". Name
//! and number rules look at the corrected text too, so that one misread character does not
//! hide a name or a phone number.

/// The text with each word's likely misread letters corrected, or `None` when there are none.
/// Only ASCII is swapped for ASCII, so every byte range means the same in both texts.
///
/// A word is corrected when it holds at least two letters and its only digits are 0 and 1
/// (a code such as "TZ1178" or "5mg" keeps its digits): `0` becomes O, `1` and `|` become I in
/// capitals and l in lower case; in a word of capitals an `l` becomes I, and a single
/// lower-case letter among four or more capitals is raised. A zero alone before a full stop
/// and a capitalised word is an initial O ("Dr. 0. Adebayo").
pub fn correct_misread_letters(text: &str) -> Option<String> {
    let mut corrected = String::with_capacity(text.len());
    let mut word = String::new();
    for (at, c) in text.char_indices() {
        if c.is_alphanumeric() || matches!(c, '|' | '\'' | '-') {
            word.push(c);
        } else {
            let initial_o = c == '.' && word == "0" && is_initial_before_a_word(&text[..at - 1], &text[at + 1..]);
            corrected.push_str(&if initial_o { "O".to_string() } else { correct_word(&word) });
            word.clear();
            corrected.push(c);
        }
    }
    corrected.push_str(&correct_word(&word));
    (corrected != text).then_some(corrected)
}

/// Whether a character between `before` and its full stop, then `after`, stands as an initial:
/// a word of its own, followed by a space and a capital letter.
fn is_initial_before_a_word(before: &str, after: &str) -> bool {
    let alone = before.chars().next_back().is_none_or(char::is_whitespace);
    let mut next = after.chars();
    alone && next.next() == Some(' ') && next.next().is_some_and(char::is_uppercase)
}

fn correct_word(word: &str) -> String {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let digits_are_letters = word.chars().filter(|c| c.is_numeric()).all(|c| c == '0' || c == '1');
    if letters < 2 || !digits_are_letters {
        return word.to_string();
    }
    // The case of the word, judged after its first letter (which is a capital either way), by
    // all its letters: "ŻÓtKIEWSKA" is in capitals, and only its ASCII `t` is raised.
    let after_first = word.chars().skip(1).filter(|c| c.is_alphabetic());
    let upper = after_first.clone().filter(|c| c.is_uppercase()).count();
    let lower = after_first.filter(|c| c.is_lowercase()).count();
    let in_capitals = upper > lower;
    let raise_lone_lower = in_capitals && lower == 1 && upper >= 3;
    word.chars()
        .enumerate()
        .map(|(i, c)| match c {
            '0' if i == 0 || in_capitals => 'O',
            '0' => 'o',
            '1' | '|' if i == 0 || in_capitals => 'I',
            '1' | '|' => 'l',
            'l' if in_capitals => 'I',
            c if raise_lone_lower && i > 0 => c.to_ascii_uppercase(),
            c => c,
        })
        .collect()
}

/// The text with the letters misread in each number corrected, or `None` when there are none.
/// Only ASCII is swapped for ASCII, so every byte range means the same in both texts.
///
/// A word is corrected when at least two of its characters are digits and at least as many as
/// its others, all of which look like one (O and o become 0; I, l and | become 1): "O148",
/// "2O2l", but not "No1" or "lO". A bracket opened before three digits and closed by `>`,
/// `]` or `}` is closed by `)`.
pub fn correct_misread_digits(text: &str) -> Option<String> {
    let mut corrected = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '|' {
            word.push(c);
        } else {
            corrected.push_str(&correct_number(&word));
            word.clear();
            let closes_area_code = matches!(c, '>' | ']' | '}') && is_open_area_code(&corrected);
            corrected.push(if closes_area_code { ')' } else { c });
        }
    }
    corrected.push_str(&correct_number(&word));
    (corrected != text).then_some(corrected)
}

fn correct_number(word: &str) -> String {
    let digits = word.chars().filter(char::is_ascii_digit).count();
    let looks_like_digit = |c: char| matches!(c, 'O' | 'o' | 'I' | 'l' | '|');
    let others: Vec<char> = word.chars().filter(|c| !c.is_ascii_digit()).collect();
    if digits < 2 || others.is_empty() || others.len() > digits || !others.iter().all(|&c| looks_like_digit(c)) {
        return word.to_string();
    }
    word.chars()
        .map(|c| match c {
            'O' | 'o' => '0',
            'I' | 'l' | '|' => '1',
            c => c,
        })
        .collect()
}

/// Whether `text` ends with "(" and three digits, as an area code does before its bracket.
fn is_open_area_code(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 4 && bytes[bytes.len() - 4] == b'(' && bytes[bytes.len() - 3..].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_and_letters_misread_in_names_are_corrected() {
        assert_eq!(correct_misread_letters("Dr. J. Schu11").as_deref(), Some("Dr. J. Schull"));
        assert_eq!(correct_misread_letters("CHOl, Ha-eun").as_deref(), Some("CHOI, Ha-eun"));
        assert_eq!(correct_misread_letters("0'Neil").as_deref(), Some("O'Neil"));
        assert_eq!(correct_misread_letters("PERCY F. SMITh").as_deref(), Some("PERCY F. SMITH"));
        assert_eq!(correct_misread_letters("|VANOV").as_deref(), Some("IVANOV"));
        assert_eq!(correct_misread_letters("ŻÓtKIEWSKA, Matgorzata").as_deref(), Some("ŻÓTKIEWSKA, Matgorzata"));
        assert_eq!(correct_misread_letters("Sł0wik").as_deref(), Some("Słowik"));
        assert_eq!(correct_misread_letters("Dr. 0. Adebayo").as_deref(), Some("Dr. O. Adebayo"), "an initial O");
    }

    #[test]
    fn codes_numbers_and_clean_text_are_left_alone() {
        for text in [
            "TZ1178 5mg",
            "Room 101",
            "MRN 0012",
            "A1",
            "Jane Doe",
            "García López",
            "1-800-FLOWERS",
            "Grade 0. see notes",
            "Score 10. Next",
            "0.5 Mg",
        ] {
            assert_eq!(correct_misread_letters(text), None, "{text}");
        }
    }

    #[test]
    fn letters_misread_in_numbers_are_corrected() {
        assert_eq!(correct_misread_digits("956 555 O148 ASAP").as_deref(), Some("956 555 0148 ASAP"));
        assert_eq!(correct_misread_digits("(505> 555-0160 EXT 157").as_deref(), Some("(505) 555-0160 EXT 157"));
        assert_eq!(correct_misread_digits("DOB 12/07/l96I").as_deref(), Some("DOB 12/07/1961"));
    }

    #[test]
    fn words_and_codes_keep_their_letters() {
        for text in ["No1 Ol Il", "lO 10", "Room 101", "TZ1178", "A1O", "(12> 3", "1 > 0", "Jane O'Neil 2024"] {
            assert_eq!(correct_misread_digits(text), None, "{text}");
        }
    }

    #[test]
    fn byte_ranges_mean_the_same_after_correction() {
        let text = "Née 0'Brien, Ma1a and ÉLl";
        let corrected = correct_misread_letters(text).expect("O'Brien corrected");
        assert_eq!(corrected.len(), text.len());
        assert_eq!(&corrected[5..12], "O'Brien");
    }
}
