//! The site's own word on what is and is not PHI, from the `[text]` table of a TOML file
//! (`--config`): allow-lists (the hospital's name, staff first names on badges), deny-lists
//! (a name that must always be caught) and extra regex recognizers (a local bed-label or
//! specimen-number format).

use super::{PhiCategory, PhiMatch};
use anyhow::{Context, Result};
use regex::Regex;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    #[serde(default)]
    pub text: TextPolicyFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextPolicyFile {
    /// Phrases that are never PHI, matched case-insensitively.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Phrases that are always PHI (as names), matched case-insensitively as whole words.
    #[serde(default)]
    pub deny: Vec<String>,
    #[serde(default, rename = "recognizer")]
    pub recognizers: Vec<CustomRecognizer>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomRecognizer {
    pub name: String,
    pub pattern: String,
    pub category: PhiCategory,
    #[serde(default = "default_strength")]
    pub strength: f32,
}

fn default_strength() -> f32 {
    0.9
}

/// The reason a deny-listed match gives; the allow-list never drops those.
const DENIED: &str = "on the configured deny-list";

/// The compiled policy.
#[derive(Debug, Clone, Default)]
pub struct TextPolicy {
    allow: Vec<Regex>,
    /// The allow-list's phrases as registrations are compared: letters and digits only, upper
    /// case ("AMB 4471" clears a plate read "AMB-4471").
    allowed_registrations: Vec<String>,
    deny: Vec<Regex>,
    custom: Vec<(Regex, PhiCategory, f32, String)>,
}

impl TextPolicy {
    pub fn parse(toml_text: &str) -> Result<Self> {
        let file: PolicyFile = toml::from_str(toml_text)?;
        let phrases = |list: &[String], whole_words: bool| -> Result<Vec<Regex>> {
            let bound = if whole_words { r"\b" } else { "" };
            let kept = list.iter().map(|p| p.trim()).filter(|p| !p.is_empty());
            Ok(kept.map(|p| Regex::new(&format!("(?i){bound}{}{bound}", regex::escape(p)))).collect::<Result<_, _>>()?)
        };
        let custom = file.text.recognizers.into_iter().map(|r| {
            let regex = Regex::new(&r.pattern).with_context(|| format!("recognizer '{}': bad pattern", r.name))?;
            anyhow::ensure!(!regex.is_match(""), "recognizer '{}': the pattern matches empty text, so it would flag every line", r.name);
            anyhow::ensure!((0.0..=1.0).contains(&r.strength), "recognizer '{}': strength must be in [0, 1]", r.name);
            Ok((regex, r.category, r.strength, r.name))
        });
        Ok(Self {
            allow: phrases(&file.text.allow, false)?,
            allowed_registrations: file.text.allow.iter().map(|phrase| letters_and_digits(phrase)).filter(|p| !p.is_empty()).collect(),
            deny: phrases(&file.text.deny, true)?,
            custom: custom.collect::<Result<_>>()?,
        })
    }

    /// What the deny-list and the custom recognizers find in `text`.
    pub fn matches(&self, text: &str) -> Vec<PhiMatch> {
        let denied = self.deny.iter().flat_map(|re| re.find_iter(text)).map(|m| PhiMatch {
            category: PhiCategory::Name,
            range: m.range(),
            strength: 1.0,
            reason: DENIED.into(),
        });
        let custom = self.custom.iter().flat_map(|(re, category, strength, name)| {
            re.find_iter(text).map(move |m| PhiMatch {
                category: *category,
                range: m.range(),
                strength: *strength,
                reason: format!("configured recognizer '{name}'"),
            })
        });
        denied.chain(custom).collect()
    }

    /// Drops matches lying wholly inside an allow-listed phrase ("Mercy General" is the
    /// hospital, not a patient).
    pub fn drop_allowed(&self, text: &str, matches: Vec<PhiMatch>) -> Vec<PhiMatch> {
        let allowed: Vec<std::ops::Range<usize>> = self.allow.iter().flat_map(|re| re.find_iter(text).map(|m| m.range())).collect();
        matches
            .into_iter()
            .filter(|m| m.reason == DENIED || !allowed.iter().any(|a| a.start <= m.range.start && m.range.end <= a.end))
            .collect()
    }
}

impl TextPolicy {
    /// Whether a plate's registration (`letters_and_digits` of its reading) is on the
    /// allow-list: the site's own vehicles.
    pub fn allows_registration(&self, compact: &str) -> bool {
        self.allowed_registrations.iter().any(|allowed| allowed == compact)
    }
}

/// The letters and digits of `text`, upper case: a registration however it is spaced.
pub fn letters_and_digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"
        [text]
        allow = ["Mercy General", "Dr. Grace"]
        deny = ["Okonkwo"]

        [[text.recognizer]]
        name = "bed label"
        pattern = "BED-[0-9]{3}"
        category = "other_identifier"
    "#;

    #[test]
    fn deny_list_and_custom_recognizers_find_and_the_allow_list_spares() {
        let policy = TextPolicy::parse(CONFIG).unwrap();
        let found: Vec<(PhiCategory, String)> = policy
            .matches("Patient okonkwo in BED-204")
            .into_iter()
            .map(|m| (m.category, "Patient okonkwo in BED-204"[m.range].to_string()))
            .collect();
        assert_eq!(found, [(PhiCategory::Name, "okonkwo".into()), (PhiCategory::OtherIdentifier, "BED-204".into())]);
        assert!(policy.matches("Okonkwos").is_empty(), "whole words only");

        let text = "Welcome to Mercy General, Jane Smith";
        let name = |range: std::ops::Range<usize>| PhiMatch { category: PhiCategory::Name, range, strength: 0.8, reason: "census".into() };
        let kept = policy.drop_allowed(text, vec![name(11..16), name(26..36)]);
        assert_eq!(kept.len(), 1, "'Mercy' is part of the hospital's name");
        assert_eq!(&text[kept[0].range.clone()], "Jane Smith");
    }

    #[test]
    fn typos_and_bad_patterns_are_errors() {
        assert!(TextPolicy::parse("[text]\nalow = [\"x\"]").is_err(), "unknown key");
        assert!(TextPolicy::parse("[[text.recognizer]]\nname = \"x\"\npattern = \"(\"\ncategory = \"name\"").is_err());
        assert!(TextPolicy::parse("[[text.recognizer]]\nname = \"x\"\npattern = \"a\"\ncategory = \"planet\"").is_err());
        assert!(TextPolicy::parse("").is_ok(), "an empty file is no policy");
        let matches_empty = "[[text.recognizer]]\nname = \"x\"\npattern = \"[0-9]*\"\ncategory = \"name\"";
        assert!(TextPolicy::parse(matches_empty).is_err(), "a pattern matching empty text would flag every line");
    }
}
