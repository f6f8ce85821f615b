//! A learned recogniser of people's names. The rules find a name by where it sits ("Name:",
//! "LAST, First", a census first name before a census surname); a token classifier reads a
//! page's lines with the lines around them as context and finds the names no rule was
//! written for: one alone on its line, an emergency contact, a name outside the census lists.

mod rampart;

pub use rampart::Rampart;

use crate::phi::{PhiCategory, PhiMatch};
use anyhow::Result;
use std::collections::HashMap;
use std::ops::Range;

/// A run of a line's text the tagger takes for an identifier.
#[derive(Debug, Clone, PartialEq)]
pub struct Tagged {
    pub category: PhiCategory,
    /// Byte range within its line.
    pub range: Range<usize>,
    /// The tagger's probability for its least sure word piece, in [0, 1].
    pub confidence: f32,
}

/// Finds identifiers by what the words mean in the lines of one page or frame.
pub trait EntityTagger {
    /// What was found in each line, in order; the lines are read together, as one page.
    fn tag(&mut self, lines: &[&str]) -> Result<Vec<Vec<Tagged>>>;
}

/// Tags a page's lines, each distinct text once and only those that could hold a name: a
/// page read a second time is mostly read alike by both readers, and a line with fewer than
/// two letters (a date, a number) names no one. Halves the tagger's time on the dev set.
pub fn tag_page(tagger: &mut dyn EntityTagger, lines: &[&str]) -> Result<Vec<Vec<Tagged>>> {
    let mut distinct: Vec<&str> = Vec::new();
    let mut index_of: HashMap<&str, usize> = HashMap::new();
    let slots: Vec<Option<usize>> = lines
        .iter()
        .map(|&line| {
            let has_letters = line.chars().filter(|c| c.is_alphabetic()).nth(1).is_some();
            has_letters.then(|| {
                *index_of.entry(line).or_insert_with(|| {
                    distinct.push(line);
                    distinct.len() - 1
                })
            })
        })
        .collect();
    let tagged: Vec<Vec<Tagged>> =
        tagger.tag(&distinct)?.into_iter().zip(&distinct).map(|(found, line)| widened_to_whole_words(line, found)).collect();
    Ok(slots.into_iter().map(|slot| slot.map(|index| tagged[index].clone()).unwrap_or_default()).collect())
}

/// A tagger reads word pieces and may mark only some of a word ("FARSI" of "AL-FARSI"): each
/// run is widened to the whole words it touches, hyphens and apostrophes inside a word kept,
/// so that no part of a name is left legible. Runs that then overlap become one.
fn widened_to_whole_words(line: &str, found: Vec<Tagged>) -> Vec<Tagged> {
    let in_word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '\'' | '’');
    let mut widened: Vec<Tagged> = Vec::new();
    for mut run in found {
        if line.get(run.range.clone()).is_none() {
            continue;
        }
        let (before, after) = (&line[..run.range.start], &line[run.range.end..]);
        if !run.range.is_empty() {
            let start = before.char_indices().rev().find(|&(_, c)| !in_word(c)).map_or(0, |(i, c)| i + c.len_utf8());
            let end = run.range.end + after.find(|c: char| !in_word(c)).unwrap_or(after.len());
            run.range = start..end;
        }
        match widened.last_mut() {
            Some(last) if last.category == run.category && run.range.start <= last.range.end => {
                last.range.end = last.range.end.max(run.range.end);
                last.confidence = last.confidence.min(run.confidence);
            }
            _ => widened.push(run),
        }
    }
    widened
}

/// What the model alone vouches for is boxed at any model confidence (the model's own choice
/// of class decides, not a threshold: on the tune split a 0.5 floor kept 6 of the 7 names it
/// recovered), and marked for review unless the model is sure and the line read well.
const LEARNED_STRENGTH: f32 = 0.72;
const LEARNED_SURE_BONUS: f32 = 0.2;

/// One line's tagged runs as PHI matches for the scanner to weigh with its own.
pub fn learned_matches(tagged: Vec<Tagged>) -> Vec<PhiMatch> {
    tagged
        .into_iter()
        .map(|found| PhiMatch {
            category: found.category,
            range: found.range,
            strength: LEARNED_STRENGTH + LEARNED_SURE_BONUS * found.confidence,
            reason: format!("{} to the language model ({:.0}% sure)", found.category.described(), 100.0 * found.confidence),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tags every line's first word as a name, and remembers what it was asked to read.
    #[derive(Default)]
    struct FirstWords(Vec<String>);

    impl EntityTagger for FirstWords {
        fn tag(&mut self, lines: &[&str]) -> Result<Vec<Vec<Tagged>>> {
            self.0.extend(lines.iter().map(|line| line.to_string()));
            let first_word =
                |line: &str| Tagged { category: PhiCategory::Name, range: 0..line.find(' ').unwrap_or(line.len()), confidence: 0.9 };
            Ok(lines.iter().map(|line| vec![first_word(line)]).collect())
        }
    }

    #[test]
    fn a_page_is_tagged_once_per_distinct_text_with_letters() {
        let mut tagger = FirstWords::default();
        let lines = ["Ada Lovelace", "12/10/1815", "Ada Lovelace", "Dr Byron", "7 B"];
        let tagged = tag_page(&mut tagger, &lines).unwrap();
        assert_eq!(tagger.0, ["Ada Lovelace", "Dr Byron"], "repeats and lines without two letters are not read");
        let ranges: Vec<Vec<Range<usize>>> = tagged.iter().map(|t| t.iter().map(|t| t.range.clone()).collect()).collect();
        let one = |range: Range<usize>| vec![range];
        assert_eq!(ranges, [one(0..3), vec![], one(0..3), one(0..2), vec![]], "a repeat gets its twin's names");
    }

    #[test]
    fn a_run_covering_part_of_a_word_is_widened_to_the_whole_word() {
        let name = |range: Range<usize>, confidence| Tagged { category: PhiCategory::Name, range, confidence };
        let line = "1 AL-FARSI, O'Neil Ngozi";
        // "FARSI" and "AL" tagged apart, "Neil" alone, "Ngo" of "Ngozi".
        let widened = widened_to_whole_words(line, vec![name(2..4, 0.4), name(5..10, 0.8), name(14..18, 0.9), name(19..22, 0.7)]);
        let runs: Vec<(&str, f32)> = widened.iter().map(|t| (&line[t.range.clone()], t.confidence)).collect();
        assert_eq!(runs, [("AL-FARSI", 0.4), ("O'Neil", 0.9), ("Ngozi", 0.7)]);
    }

    #[test]
    fn learned_matches_are_boxed_and_sure_ones_need_no_review() {
        let tagged = |confidence| vec![Tagged { category: PhiCategory::Name, range: 4..9, confidence }];
        let unsure = learned_matches(tagged(0.3)).remove(0);
        let sure = learned_matches(tagged(0.99)).remove(0);
        // The scanner trims strength by at most 0.7 for a line read and found poorly.
        assert!(0.7 * unsure.strength >= crate::config::DEFAULT_MIN_TEXT_RISK, "{}", unsure.strength);
        assert!(sure.strength >= crate::config::DEFAULT_REVIEW_BELOW, "{}", sure.strength);
        assert_eq!((sure.category, sure.range), (PhiCategory::Name, 4..9));
        assert!(sure.reason.contains("a person's name") && sure.reason.contains("99%"), "{}", sure.reason);
    }
}
