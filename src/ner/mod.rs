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
    let tagged = tagger.tag(&distinct)?;
    Ok(slots.into_iter().map(|slot| slot.map(|index| tagged[index].clone()).unwrap_or_default()).collect())
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
        assert_eq!(ranges, [vec![0..3], vec![], vec![0..3], vec![0..2], vec![]], "a repeat gets its twin's names");
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
