//! Person names from the words themselves, with no label to announce them: "Kevin Narko",
//! "NGUYEN Van An", "R. B. Spell", "Narko, Kevin", a patient's name alone on its own line.
//!
//! A *run* is a stretch of capitalised words that could each be part of a name (no ordinary
//! English word among them), with initials, hyphens and a comma between them. A run is a name
//! when its words are evidence enough together (see `NameEvidence`): a census first name and
//! surname, a census name beside a rare word, initials before a surname, or a line that is
//! nothing but the run, or a clinician's credential after it ("Oyelaran, MD"); unless the word
//! after it makes it an organisation's or a product's name.

use super::names::{hyphenated_parts, is_capitalised, NameEvidence, NameLists, NAME_WORD_PATTERN};
use super::{PhiCategory, PhiMatch};
use regex::{Match, Regex};
use std::ops::Range;

/// Longer runs of capitalised words are titles and headings, not names.
const MAX_RUN_WORDS: usize = 5;
/// A single census name alone on a line counts only when it is not also this common an
/// English word ("Will", "Young", "Green"), since a one-word line is as often a caption.
const LONE_NAME_MAX_ZIPF: f32 = 4.5;

/// A listed name this rare in English is a name even alone in a sentence ("Padraig called",
/// "spoke with Okafor"): a note names people by one name as often as by two. Not in capitals
/// among lower-case words: that is an acronym ("from the NICU", "Nicu" a Romanian name).
const RARE_NAME_ZIPF: f32 = 3.0;

/// The longest acronym taken for one (see `judge`).
const MAX_ACRONYM_LETTERS: usize = 4;

/// Words of a line that is nothing but capitalised words are taken for a name when none is
/// more common in English than this ("Hwang" and "Yeon" are not; "Department" is).
const LINE_MAX_ZIPF: f32 = 4.0;

/// A run followed by one of these names an organisation ("Cedar Hollow Pediatrics", "Good
/// Shepherd Medical Group") or a product ("Metformin HCl Tablets, USP"), not a person. Longer
/// than the list that marks a line's phones and addresses as an organisation's (in
/// `recognizers`): the word right after a name says more than a word anywhere on the line.
const ORGANISATION_WORDS: &str = "hospital clinic center centre pharmacy pediatrics health healthcare medical group associates \
    partners inc llc ltd corp corporation company university college institute foundation association laboratories laboratory labs \
    pharmaceuticals generics church school bank insurance services";
const PRODUCT_WORDS: &str = "tablet tablets capsule capsules injection solution suspension syrup cream ointment usp hcl mg ml mcg \
    tartrate succinate hydrochloride sodium potassium besylate maleate citrate sulfate mesylate fumarate acetate phosphate";
/// A car's model after its make ("Toyota Camry", "Honda Malibu" on a parking notice): the make
/// before it is a product's name even when it is also a surname ("Honda"). Only models that
/// are no listed name ("Corolla" is a surname).
const VEHICLE_MODELS: &str = "camry civic accord malibu altima sentra elantra prius silverado highlander wrangler";

/// Credentials written after a clinician's name ("Funmilayo Oyelaran, MD", "XU JIANGUO NP"):
/// the words before one are a person's name, whatever lists they are on. Never name words.
const CREDENTIALS: &[&str] = &[
    "MD", "DO", "NP", "RN", "PA-C", "PHD", "DDS", "DMD", "DPM", "OD", "PHARMD", "APRN", "FNP", "FNP-C", "DNP", "CRNA", "CNM", "LPN", "LVN",
    "LCSW", "MSW", "MBBS", "FACS", "FACP",
];

/// Lower-case particles inside names ("Ludwig van Beethoven", "Maria da Silva").
const PARTICLES: &[&str] =
    &["van", "von", "der", "den", "de", "da", "di", "del", "della", "dos", "das", "du", "la", "le", "bin", "ibn", "al", "el"];

/// Words this long read with one letter wrong are still the word ("Pediatrycs", "Instituye",
/// "Heaith"), unless the word as read is a listed name ("Venter" is a surname, not "Center").
const MISREAD_ORGANISATION_WORD_LETTERS: usize = 6;

/// Whether `word` names an organisation, a product form or a car model, so that the words
/// before it are its name, not a person's.
fn is_organisation_word(word: &str, names: &NameLists) -> bool {
    let word = word.to_lowercase();
    let letters = word.chars().count();
    // One edit changes the length by one letter at most: most words are ruled out before the
    // edit distance is computed (this runs for every capitalised word read).
    let misread = |listed: &str| {
        let listed_letters = listed.chars().count();
        listed_letters >= MISREAD_ORGANISATION_WORD_LETTERS
            && letters >= MISREAD_ORGANISATION_WORD_LETTERS
            && listed_letters.abs_diff(letters) <= 1
            && strsim::levenshtein(listed, &word) == 1
            && !matches!(names.evidence(&word), NameEvidence::FirstName | NameEvidence::Surname)
    };
    [ORGANISATION_WORDS, PRODUCT_WORDS, VEHICLE_MODELS]
        .iter()
        .flat_map(|list| list.split_whitespace())
        .any(|listed| listed == word || misread(listed))
}

fn is_credential(word: &str) -> bool {
    CREDENTIALS.contains(&word.replace('.', "").to_uppercase().as_str())
}

pub struct PersonNames {
    word: Regex,
    /// A field number before a value on an ID card or a form ("1 AL-FARSI", "4d", "01"), or
    /// glued to a value in capitals, as OCR reads a card's tight print ("1FAIRWEATHER"): the
    /// value's first two letters are then captured as `glued`.
    field_code: Regex,
    /// A credential after a name: a comma or a period, spaces, the credential ("MD", "M.D.").
    credential: Regex,
}

impl Default for PersonNames {
    fn default() -> Self {
        Self {
            word: Regex::new(NAME_WORD_PATTERN).expect("valid word pattern"),
            field_code: Regex::new(r"^\s*\d{1,2}(?:[a-z]?[.:)]?\s+|(?<glued>\p{Lu}{2}))").expect("valid field code pattern"),
            credential: Regex::new(r"^[,.]?\s+((?:[A-Za-z]\.){2,3}|[A-Za-z]+(?:-[A-Za-z])?\b)").expect("valid credential pattern"),
        }
    }
}

/// One word of a run and what it says.
struct RunWord<'t> {
    word: Match<'t>,
    evidence: Option<NameEvidence>,
    initial: bool,
    /// Whether a comma follows it within the run.
    comma_after: bool,
}

impl PersonNames {
    pub fn find(&self, text: &str, names: &NameLists) -> Vec<PhiMatch> {
        let body_start = match self.field_code.captures(text) {
            Some(code) => code.name("glued").map_or(code[0].len(), |value| value.start()),
            None => 0,
        };
        let field_code = text[..body_start].trim().trim_end_matches(['.', ':', ')']);
        // On a driving licence (the AAMVA card layout) field 1 is the family name, field 2 the
        // given names: a line of name words there is a name, however rare they are (validation
        // 2433 -> 2435, 1 more box matching no label; tune unchanged).
        let name_field = matches!(field_code, "1" | "2");
        let body = without_closing_remark(text[body_start..].trim_end());
        let words: Vec<Match> = self.word.find_iter(text).collect();
        let names_organisation =
            |end: usize| words.iter().find(|w| w.start() >= end).is_some_and(|next| is_organisation_word(next.as_str(), names));
        let name =
            |range, (strength, reason): (f32, &str)| PhiMatch { category: PhiCategory::Name, range, strength, reason: reason.into() };
        let runs = runs(text, body_start, &words, names);
        let in_capitals = !has_lower_case(text);
        let mut found: Vec<PhiMatch> = runs
            .iter()
            .enumerate()
            .filter_map(|(i, run)| {
                let range = span(run)?;
                if names_organisation(range.end) || after_saint(&text[..range.start]) {
                    return None;
                }
                // An initial's period is no more of the line than the name ("Ofori K.").
                let end = body_start + body.len();
                let whole =
                    range.start == body_start && (range.end == end || (ends_in_one_initial(run) && text.get(range.end..end) == Some(".")));
                match judge(run, Line { whole, in_capitals, name_field }, names) {
                    Some(verdict) => Some(name(range, verdict)),
                    None => self
                        .before_credential(text, &runs, i)
                        .map(|range| name(range, (0.75, "capitalised words before a clinician's credential"))),
                }
            })
            .collect();
        let line = body_start..body_start + body.len();
        if !found.iter().any(|m| m.range == line) && is_line_of_uncommon_words(text, &words, line.clone(), names) {
            found.push(name(line, (0.6, "a line of two to four capitalised uncommon words")));
        }
        found
    }

    /// The name that run `i` of `runs` makes when a clinician's credential follows it.
    fn before_credential(&self, text: &str, runs: &[Vec<RunWord>], i: usize) -> Option<Range<usize>> {
        let run = &runs[i];
        // Initials at the end may be the credential's own letters ("Okafor, M.D.").
        let end = run.iter().rev().find(|w| !w.initial)?.word.end();
        let follows = self.credential.captures(&text[end..]).is_some_and(|c| is_credential(&c[1]));
        if !follows {
            return None;
        }
        // OCR reads a comma as a period ("WOLDEMICHAEL. SELAMAWIT MD"), and a period ends a
        // run: the run just before, one mark away, is the name's other half.
        let start = span(run)?.start;
        let start = i
            .checked_sub(1)
            .and_then(|before| span(&runs[before]))
            .filter(|before| matches!(text[before.end..start].trim(), "." | ","))
            .map_or(start, |before| before.start);
        Some(start..end)
    }
}

/// Whether `text` could be one half of a name set on two lines ("KARAGÖZ" over "Gökhan"): one
/// or two capitalised words, none common in English, an organisation's word or a credential,
/// and either a listed name among them or all in capitals as on a card. (Rare words in title
/// case stacked on names are more often a department or a misread word: "Cytogeneticist".)
pub fn could_be_half_of_name(text: &str, names: &NameLists) -> bool {
    let words: Vec<&str> = text.split_whitespace().map(|word| word.trim_end_matches(',')).collect();
    let name_like = |word: &&str| {
        word.chars().count() >= 2
            && word.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'))
            && is_capitalised(word)
            && !is_organisation_word(word, names)
            && !is_credential(word)
            && names.is_uncommon(word, LINE_MAX_ZIPF)
            && names.evidence(word) != NameEvidence::Word
    };
    (1..=2).contains(&words.len()) && words.iter().all(name_like) && (has_listed_name(text, names) || !has_lower_case(text))
}

/// Whether a word of `text`, or a part of a hyphenated word, is on the first-name or surname
/// lists: a romanised given name is written with its syllables joined ("Seo-yeon"), and one
/// syllable common in English text ("yeon") leaves the whole a name the lists do not know.
pub fn has_listed_name(text: &str, names: &NameLists) -> bool {
    let listed = |word: &str| matches!(names.evidence(word), NameEvidence::FirstName | NameEvidence::Surname);
    // Parts as `NameLists::evidence` takes them, of two letters or more ("X-Ray" is no name).
    text.split(|c: char| !(c.is_alphabetic() || matches!(c, '-' | '\'' | '’')))
        .any(|word| listed(word) || hyphenated_parts(word).is_some_and(|mut parts| parts.any(listed)))
}

/// Whether `before` ends in "St." or "Saint": the name after it is a saint's, of a place or
/// an institution ("St. Brigid's", "Saint Vincent"), not a person's.
fn after_saint(before: &str) -> bool {
    before.split_whitespace().last().is_some_and(|word| matches!(word.to_lowercase().as_str(), "st." | "st" | "saint"))
}

fn has_lower_case(word: &str) -> bool {
    word.chars().any(char::is_lowercase)
}

/// Where a run stands in its line.
fn span(run: &[RunWord]) -> Option<Range<usize>> {
    Some(run.first()?.word.start()..run.last()?.word.end())
}

/// A line's value without a remark in brackets at its end, as a contact's relationship is
/// written after the name ("SELAMAWIT WOLDEMICHAEL (HERMANA)", "Minh Bùi (daughter"): one or
/// two words of letters, the bracket closed or not.
fn without_closing_remark(value: &str) -> &str {
    let Some(open) = value.rfind('(') else { return value };
    let remark = value[open + 1..].strip_suffix(')').unwrap_or(&value[open + 1..]);
    let words = remark.split_whitespace().count();
    let before = value[..open].trim_end();
    let is_remark = (1..=2).contains(&words) && remark.chars().all(|c| c.is_alphabetic() || c == ' ');
    if is_remark && !before.is_empty() {
        before
    } else {
        value
    }
}

/// A line that is nothing but two to four capitalised words, none of them common in English
/// ("Kyu Yeon Hwang", "Oluwaseun Adebayo"): a name on its own line, as on a card or a list.
/// `line` is where the line's value lies (after a field number, before a remark).
fn is_line_of_uncommon_words(text: &str, words: &[Match], line: Range<usize>, names: &NameLists) -> bool {
    let body: Vec<&Match> = words.iter().filter(|w| w.start() >= line.start && w.end() <= line.end).collect();
    let spaced = body.windows(2).all(|pair| joins(&text[pair[0].end()..pair[1].start()], false));
    let rest_is_blank = body.first().is_some_and(|w| text[line.start..w.start()].trim().is_empty())
        && body.last().is_some_and(|w| text[w.end()..line.end].trim().is_empty());
    (2..=4).contains(&body.len())
        && !body.iter().any(|w| is_organisation_word(w.as_str(), names))
        && spaced
        && rest_is_blank
        && body.iter().all(|w| {
            // A common word misread is no uncommon word here either, as in the name evidence.
            w.as_str().chars().count() >= 2 && is_capitalised(w.as_str()) && names.is_uncommon_as_meant(w.as_str(), LINE_MAX_ZIPF)
        })
}

/// What a run's line says of it.
#[derive(Clone, Copy)]
struct Line {
    /// The run is the whole line.
    whole: bool,
    /// The line has no lower-case letter: a word in capitals there is no acronym for that.
    in_capitals: bool,
    /// The line is an ID card's name field ("1 AL-FARSI", "2 MOHAMMED").
    name_field: bool,
}

/// Whether a run is a name: its strength and the reason.
fn judge(run: &[RunWord], line: Line, names: &NameLists) -> Option<(f32, &'static str)> {
    use NameEvidence::*;
    let named: Vec<(&str, NameEvidence)> = run.iter().filter_map(|w| Some((w.word.as_str(), w.evidence?))).collect();
    let census = named.iter().filter(|(_, e)| matches!(e, FirstName | Surname)).count();
    // A short word in capitals among lower-case words is an acronym ("HMO Silver", "MedChart
    // EHR"), not a name the lists do not know.
    let acronym = |word: &str| !line.in_capitals && !has_lower_case(word) && word.chars().count() <= MAX_ACRONYM_LETTERS;
    let rare = named.iter().filter(|(word, e)| *e == Rare && !acronym(word)).count();
    let pair = named.windows(2).any(|p| names.is_full_name(p[0].0, p[1].0));
    let leading_initials = run.first().is_some_and(|w| w.initial) && !named.is_empty();
    // A whiteboard's "Ofori K.", "Meenakshi R.": a name, then the initial of the other.
    let trailing_initial = ends_in_one_initial(run) && !named.is_empty();
    let every_word_named = named.len() == run.iter().filter(|w| !w.initial).count();
    if pair {
        Some((0.8, "census first name + surname"))
    } else if line.whole && line.name_field && !named.is_empty() && every_word_named {
        Some((0.75, "the name field of an ID card (field number 1 or 2)"))
    } else if census >= 2 && (line.whole || named.iter().all(|(word, _)| names.english_zipf(word) < LONE_NAME_MAX_ZIPF)) {
        Some((0.7, "census names together"))
    } else if census >= 1 && rare >= 1 {
        Some((0.7, "census name beside a word rare in English"))
    } else if leading_initials && named.iter().all(|(_, e)| *e != FirstName || named.len() > 1) {
        Some((0.7, "initials + surname"))
    } else if line.whole && trailing_initial && every_word_named {
        Some((0.65, "a name and an initial alone on their line"))
    } else if named.len() >= 2 && comma_inverted(run) {
        Some((0.65, "'Last, First' layout of uncommon words"))
    } else if line.whole && named.len() >= 2 && rare == named.len() {
        Some((0.6, "a line of capitalised words rare in English (a name the lists do not know)"))
    } else if line.whole && named.len() == 1 && census == 1 && names.english_zipf(named[0].0) < LONE_NAME_MAX_ZIPF {
        Some((0.6, "a census name alone on its line"))
    } else if named.len() == 1
        && census == 1
        && names.is_uncommon(named[0].0, RARE_NAME_ZIPF)
        && (line.in_capitals || has_lower_case(named[0].0))
    {
        Some((0.6, "a listed name rare in English"))
    } else {
        None
    }
}

/// Whether a run ends in one initial after a word ("Ofori K."; two are a credential's:
/// "Okafor, M.D.").
fn ends_in_one_initial(run: &[RunWord]) -> bool {
    matches!(run, [.., before, last] if last.initial && !before.initial)
}

/// "Darko, Kojo": two name words with a comma between them, as a surname is put first.
fn comma_inverted(run: &[RunWord]) -> bool {
    run.windows(2).any(|pair| pair[0].evidence.is_some() && pair[1].evidence.is_some() && pair[0].comma_after)
}

/// The runs of name-like words in `text`, whose value starts at `body_start` (after a field
/// number).
fn runs<'t>(text: &'t str, body_start: usize, words: &[Match<'t>], names: &NameLists) -> Vec<Vec<RunWord<'t>>> {
    let mut runs: Vec<Vec<RunWord>> = Vec::new();
    let mut current: Vec<RunWord> = Vec::new();
    for (i, &word) in words.iter().enumerate() {
        let followed_by_period = text[word.end()..].starts_with('.');
        let single_capital = word.as_str().chars().count() == 1 && word.as_str().chars().all(char::is_uppercase);
        // A lone capital starts a name only with its period ("A Guide" is no initial).
        let initial = single_capital && (followed_by_period || !current.is_empty());
        let particle =
            !current.is_empty() && PARTICLES.contains(&word.as_str()) && words.get(i + 1).is_some_and(|next| is_capitalised(next.as_str()));
        // Letters glued to digits are a code ("TZ1178", "HAN0S5"), not a name; a field number
        // is not part of its value.
        let glued = (word.start() != body_start && text[..word.start()].ends_with(|c: char| c.is_ascii_digit()))
            || text[word.end()..].starts_with(|c: char| c.is_ascii_digit());
        let evidence = (!initial
            && !particle
            && !glued
            && !is_organisation_word(word.as_str(), names)
            && !is_credential(word.as_str())
            && word.as_str().chars().count() >= 2
            && is_capitalised(word.as_str()))
        .then(|| names.evidence(word.as_str()))
        .filter(|e| *e != NameEvidence::Word);
        // A period ends a name unless it closes an initial ("M. Hamann. P. Harper" is two), or
        // is the comma of "LAST, First" as OCR reads it ("DUONG-BHATTACHARYA. Thi Mỹ").
        let between = current.last().map_or("", |last| &text[last.word.end()..word.start()]);
        let comma_read_as_period = between.trim() == "."
            && current.last().is_some_and(|last| !last.initial && !has_lower_case(last.word.as_str()))
            && has_lower_case(word.as_str())
            && is_capitalised(word.as_str());
        let joined = current.last().is_some_and(|last| joins(between, last.initial || comma_read_as_period));
        if !joined || current.len() == MAX_RUN_WORDS {
            close(&mut runs, &mut current);
        }
        if initial || particle || evidence.is_some() {
            if let Some(last) = current.last_mut().filter(|_| comma_read_as_period) {
                last.comma_after = true;
            }
            let comma_after = text[word.end()..].trim_start_matches('.').starts_with(',');
            current.push(RunWord { word, evidence, initial, comma_after });
        } else {
            close(&mut runs, &mut current);
        }
    }
    close(&mut runs, &mut current);
    runs
}

/// A run does not end on a particle ("van", "da"): it belongs to a name that did not follow.
fn close<'t>(runs: &mut Vec<Vec<RunWord<'t>>>, current: &mut Vec<RunWord<'t>>) {
    while current.last().is_some_and(|w| w.evidence.is_none() && !w.initial) {
        current.pop();
    }
    if !current.is_empty() {
        runs.push(std::mem::take(current));
    }
}

/// What may stand between two words of one name: spaces, a comma ("NARKO, Kevin"), the period
/// of an initial, a hyphen broken over a space.
fn joins(between: &str, after_initial: bool) -> bool {
    let marks: String = between.chars().filter(|c| !c.is_whitespace()).collect();
    let allowed = if after_initial { &["", ".", ",", ".,"][..] } else { &["", ",", "-"][..] };
    between.chars().count() <= 3 && allowed.contains(&marks.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phi::words::EnglishWords;

    fn lists() -> NameLists {
        NameLists::from_census(
            "SMITH 1.0 1.0 1\nGARCIA 0.2 9.0 8\nNGUYEN 0.1 30.0 57\nHENDRICKS 0.01 70.0 900\nYOUNG 0.1 40.0 300\nVENTER 0.001 80.0 5000\n",
            &["JOHN 3.2 6.5 2\nKEVIN 0.5 20.0 30\nGREGORY 0.4 25.0 40\nWILL 0.02 80.0 500\n", "MARIA 0.5 10.0 20\n"],
        )
        .with_english(EnglishWords::from_pairs(&[
            ("the", 7.7),
            ("vitamin", 4.4),
            ("hospital", 5.1),
            ("company", 5.5),
            ("young", 5.7),
            ("will", 6.4),
            ("call", 5.6),
            ("dear", 5.0),
            ("john", 5.4),
            ("american", 5.6),
            ("street", 5.3),
            ("baltimore", 4.2),
            ("please", 5.6),
            ("saint", 4.6),
            ("kevin", 4.6),
            ("smith", 4.9),
        ]))
    }

    fn names_in(text: &str) -> Vec<String> {
        PersonNames::default().find(text, &lists()).into_iter().map(|m| text[m.range].to_string()).collect()
    }

    #[test]
    fn census_names_beside_rare_words_and_initials_before_surnames() {
        assert_eq!(names_in("Dear Kevin Narko, thank you"), ["Kevin Narko"]);
        assert_eq!(names_in("NARKO, Kevin"), ["NARKO, Kevin"]);
        assert_eq!(names_in("Gregory Young"), ["Gregory Young"], "a surname that is also a common word");
        assert_eq!(names_in("cc: R. B. Hendricks"), ["R. B. Hendricks"]);
        assert_eq!(names_in("Kevin H. Narko"), ["Kevin H. Narko"]);
        assert_eq!(names_in("GARCÍA LÓPEZ, María"), ["GARCÍA LÓPEZ, María"], "accents folded before the lookup");
        assert_eq!(names_in("Nguyễn Văn An"), ["Nguyễn Văn An"]);
        assert_eq!(names_in("Maria da Silva"), ["Maria da Silva"]);
        assert_eq!(names_in("Ext.: M. Hendricks. P. Garcia. K. Smith"), ["M. Hendricks", "P. Garcia", "K. Smith"], "a list of names");
    }

    #[test]
    fn names_alone_on_their_line() {
        assert_eq!(names_in("Oluwaseun Adebayo"), ["Oluwaseun Adebayo"]);
        assert!(names_in("American Company").is_empty(), "common words");
        assert_eq!(names_in("Al-Farsi"), Vec::<String>::new(), "one rare word is too little");
        assert_eq!(names_in("1 AL-FARSI"), ["AL-FARSI"], "but not in an ID card's name field");
        assert!(names_in("1 AMERICAN COMPANY").is_empty() && names_in("3 AL-FARSI").is_empty(), "a heading; another field");
        assert_eq!(names_in("for Adebayo, Oluwaseun today"), ["Adebayo, Oluwaseun"], "surname first, in a sentence");
        assert_eq!(names_in("ADEBAYO. Oluwaseun"), ["ADEBAYO. Oluwaseun"], "its comma read as a period");
        assert_eq!(names_in("OLUWASEUN ADEBAYO (HERMANA)"), ["OLUWASEUN ADEBAYO"], "a contact's relationship after the name");
        assert_eq!(names_in("Oluwaseun Adebayo (daughter"), ["Oluwaseun Adebayo"], "its bracket left open");
        assert!(names_in("Oluwaseun Adebayo (see page 2)").is_empty(), "no remark of a relationship");
        assert!(names_in("Seen by ADEBAYO. Please call").is_empty(), "a sentence's end, before an ordinary word");
        assert!(names_in("Adebayo. Oluwaseun").is_empty(), "a period after a name in title case ends it");
        assert_eq!(names_in("2 GARCIA"), ["GARCIA"], "a census surname after a field number");
        assert_eq!(names_in("1FAIRWEATHER-THISTLETHWAITE"), ["FAIRWEATHER-THISTLETHWAITE"], "a field number read glued on");
        assert!(names_in("3M AL-FARSI").is_empty(), "a code is no field number");
        assert!(names_in("Call back Oluwaseun Adebayo today").is_empty(), "rare words in a sentence need a census name");
        assert!(names_in("Will").is_empty(), "a name that is also a common word, alone");
        assert_eq!(names_in("Young Obiang"), ["Young Obiang"], "a census name beside a word rare in English");
        assert!(names_in("HMO Young").is_empty(), "a short word in capitals among lower-case words is an acronym");
        assert_eq!(names_in("OBI YOUNG"), ["OBI YOUNG"], "in a line in capitals it is a name");
        assert_eq!(names_in("Hendricks T."), ["Hendricks T"], "a name and an initial, as on a whiteboard");
        assert!(names_in("Vitamin D.").is_empty(), "an ordinary word and a letter");
    }

    #[test]
    fn one_listed_name_rare_in_english_is_a_name_but_not_after_saint() {
        assert_eq!(names_in("spoke with Hendricks today"), ["Hendricks"]);
        assert!(names_in("call Young today").is_empty(), "a listed name that is a common word");
        assert!(names_in("St. Hendricks Hospital").is_empty() && names_in("Saint Hendricks").is_empty());
        assert_eq!(names_in("He left first. Hendricks stayed"), ["Hendricks"], "a sentence's end is no saint");
        assert!(names_in("from the HENDRICKS unit").is_empty(), "in capitals among lower-case words, an acronym");
        assert_eq!(names_in("BED 4 HENDRICKS ROOM"), ["HENDRICKS"], "a line in capitals");
    }

    #[test]
    fn organisations_products_and_codes_are_not_people() {
        assert!(names_in("Narko Adebayo Pediatrics").is_empty());
        assert!(names_in("Kevin Narko Medical Group, 12 Elm Road").is_empty());
        assert!(names_in("Metformin Narko Tablets, USP").is_empty());
        assert!(names_in("Narko Adebayo Tartrate").is_empty(), "a drug's salt");
        assert!(names_in("Adebayo Camry").is_empty() && names_in("Adebayo Malitu").is_empty(), "a car's make and model");
        assert!(names_in("Amerrican Oyelaran").is_empty(), "a common word misread makes no line of uncommon words");
        assert_eq!(names_in("Amoxicillin 500 mg, Dr. Kevin Narko"), ["Kevin Narko"], "a product elsewhere on the line");
        assert!(names_in("LOT TZ1178 KEVIN").is_empty(), "a code is no surname");
        assert_eq!(names_in("Kevin Narko"), ["Kevin Narko"]);
        assert!(names_in("Narko Adebayo Pediatrycs").is_empty() && names_in("Kevin Narko Instituye").is_empty(), "one letter misread");
        assert_eq!(names_in("Kevin Venter"), ["Kevin Venter"], "a listed surname a letter from 'center' is the surname");
    }

    #[test]
    fn words_before_a_clinicians_credential_are_a_name() {
        assert_eq!(names_in("From: Funmilayo Oyelaran, MD"), ["Funmilayo Oyelaran"]);
        assert_eq!(names_in("WOLDEMICHAEL. SELAMAWIT MD"), ["WOLDEMICHAEL. SELAMAWIT"]);
        assert_eq!(names_in("seen by Xu, NP today"), ["Xu"]);
        assert_eq!(names_in("Adebayo Okafor, M.D."), ["Adebayo Okafor"]);
        assert!(names_in("Please DO NOT fold").is_empty(), "ordinary words are no name");
        assert!(names_in("Baltimore, MD 21201").is_empty(), "a city before its state");
    }

    #[test]
    fn ordinary_words_break_names() {
        assert!(names_in("Will Call").is_empty());
        assert!(names_in("The American Company").is_empty());
        assert!(names_in("Grace Hospital").is_empty());
        assert!(names_in("John Street").is_empty());
        assert!(names_in("Young Company-").is_empty(), "a hyphen breaking the line leaves the word as it was");
        assert!(names_in("A Guide to Smith").is_empty(), "an article is no initial");
    }
}
