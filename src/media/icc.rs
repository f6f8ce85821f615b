//! ICC colour profiles, kept for their colours only.
//!
//! A profile describes how the pixels' numbers map to colours, and the redacted copy looks
//! right only with it. But a profile also carries text (a description, a copyright, device
//! names, private tags) that whoever made the file may fill with anything: a description
//! reading "PATIENT: John Q. Smith MRN 00482913" went through byte for byte. So the profile is
//! rebuilt from the tags that define colour (colourants, tone curves, white point, conversion
//! tables), every other tag and every unreferenced byte left out, the header's reserved bytes
//! and its MD5 (which would no longer match) zeroed. A profile that does not parse is dropped
//! whole: colours may then shift a little, but nothing passes unread.

/// Tags that define colour, each with the types its data may have: numbers only. The type is
/// checked, so that a colour tag cannot simply point at a description's text.
const COLOUR_TAGS: [(&[u8; 4], &[&[u8; 4]]); 20] = [
    (b"rXYZ", XYZ),
    (b"gXYZ", XYZ),
    (b"bXYZ", XYZ),
    (b"wtpt", XYZ),
    (b"bkpt", XYZ),
    (b"lumi", XYZ),
    (b"rTRC", CURVES),
    (b"gTRC", CURVES),
    (b"bTRC", CURVES),
    (b"kTRC", CURVES),
    (b"chad", &[b"sf32"]),
    (b"chrm", &[b"chrm"]),
    (b"cicp", &[b"cicp"]),
    (b"A2B0", TABLES),
    (b"A2B1", TABLES),
    (b"A2B2", TABLES),
    (b"B2A0", TABLES),
    (b"B2A1", TABLES),
    (b"B2A2", TABLES),
    (b"gamt", TABLES),
];
const XYZ: &[&[u8; 4]] = &[b"XYZ "];
const CURVES: &[&[u8; 4]] = &[b"curv", b"para"];
const TABLES: &[&[u8; 4]] = &[b"mft1", b"mft2", b"mAB ", b"mBA "];

const HEADER_LEN: usize = 128;
const TAG_ENTRY_LEN: usize = 12;
/// Header bytes 84-99: the profile's MD5 ("profile ID"); zero means "not computed".
const PROFILE_ID: std::ops::Range<usize> = 84..100;
/// Header bytes 100-127: reserved, zero in a well-formed profile.
const RESERVED: std::ops::Range<usize> = 100..128;
/// More tags than any real profile has: a bound on work for a crafted one.
const MAX_TAGS: usize = 100;

/// The profile with only its colour-defining tags, or `None` when it does not parse or keeps
/// no colour tag.
pub fn colours_only(profile: &[u8]) -> Option<Vec<u8>> {
    let declared = usize::try_from(read_u32(profile, 0)?).ok()?;
    let profile = profile.get(..declared)?;
    let count = usize::try_from(read_u32(profile, HEADER_LEN)?).ok()?;
    if count > MAX_TAGS {
        return None;
    }
    let mut kept: Vec<([u8; 4], &[u8])> = Vec::new();
    for entry in 0..count {
        let at = HEADER_LEN + 4 + entry * TAG_ENTRY_LEN;
        let signature: [u8; 4] = profile.get(at..at + 4)?.try_into().ok()?;
        let (offset, len) = (read_u32(profile, at + 4)? as usize, read_u32(profile, at + 8)? as usize);
        let data = profile.get(offset..offset.checked_add(len)?)?;
        let types = COLOUR_TAGS.iter().find(|(tag, _)| **tag == signature).map(|(_, types)| *types);
        if types.is_some_and(|types| types.iter().any(|kind| data.starts_with(*kind))) {
            kept.push((signature, data));
        }
    }
    if kept.is_empty() {
        return None;
    }
    Some(rebuilt(profile.get(..HEADER_LEN)?, &kept))
}

/// A profile of `header` and `tags`, each tag's data starting on a 4-byte boundary; tags with
/// the same data (the three tone curves, often) share one copy.
fn rebuilt(header: &[u8], tags: &[([u8; 4], &[u8])]) -> Vec<u8> {
    let mut out = header.to_vec();
    out[PROFILE_ID].fill(0);
    out[RESERVED].fill(0);
    out.extend_from_slice(&(tags.len() as u32).to_be_bytes());
    let data_start = HEADER_LEN + 4 + tags.len() * TAG_ENTRY_LEN;
    let mut data = Vec::new();
    let mut written: Vec<(&[u8], usize)> = Vec::new();
    for (signature, bytes) in tags {
        let same = written.iter().find(|(earlier, _)| earlier == bytes).map(|&(_, offset)| offset);
        let offset = same.unwrap_or_else(|| {
            let offset = data_start + data.len();
            data.extend_from_slice(bytes);
            data.resize(data.len().next_multiple_of(4), 0);
            written.push((bytes, offset));
            offset
        });
        out.extend_from_slice(signature);
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    }
    out.extend_from_slice(&data);
    let size = out.len() as u32;
    out[..4].copy_from_slice(&size.to_be_bytes());
    out
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// A minimal profile: a header and a white point, in the layout `colours_only` keeps as it is.
#[cfg(test)]
pub(crate) fn white_point_only() -> Vec<u8> {
    let mut header = vec![0u8; HEADER_LEN];
    header[36..40].copy_from_slice(b"acsp");
    rebuilt(&header, &[(*b"wtpt", b"XYZ \0\0\0\0\0\0\xf6\xd6\0\x01\0\0\0\0\xd3\x2d")])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A profile of `tags` laid out as `rebuilt` lays them, with a text in the reserved bytes.
    fn profile(tags: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
        let mut header = vec![0u8; HEADER_LEN];
        header[36..40].copy_from_slice(b"acsp");
        header[RESERVED][..6].copy_from_slice(b"HIDDEN");
        let tags: Vec<([u8; 4], &[u8])> = tags.iter().map(|(s, d)| (**s, *d)).collect();
        rebuilt_keeping_reserved(&header, &tags)
    }

    fn rebuilt_keeping_reserved(header: &[u8], tags: &[([u8; 4], &[u8])]) -> Vec<u8> {
        let mut out = rebuilt(header, tags);
        out[RESERVED].copy_from_slice(&header[RESERVED]);
        out
    }

    fn holds(bytes: &[u8], text: &[u8]) -> bool {
        bytes.windows(text.len()).any(|w| w == text)
    }

    #[test]
    fn text_tags_and_reserved_bytes_go_and_colour_tags_stay_byte_for_byte() {
        let description = b"desc\0\0\0\0PATIENT: John Q. Smith MRN 00482913";
        let white = b"XYZ \0\0\0\0\0\0\xf6\xd6\0\x01\0\0\0\0\xd3\x2d";
        let curve = b"curv\0\0\0\0\0\0\0\x01\x02\x33";
        let original = profile(&[(b"desc", description), (b"wtpt", white), (b"rTRC", curve), (b"priv", b"MRN 00482913")]);
        assert!(holds(&original, b"John Q. Smith") && holds(&original, b"HIDDEN"));

        let kept = colours_only(&original).expect("a profile with colour tags");
        assert!(!holds(&kept, b"John Q. Smith") && !holds(&kept, b"00482913") && !holds(&kept, b"HIDDEN"));
        assert_eq!(read_u32(&kept, 0), Some(kept.len() as u32), "the size is the new one");
        assert_eq!(read_u32(&kept, HEADER_LEN), Some(2));
        let tag = |i: usize| {
            let at = HEADER_LEN + 4 + i * TAG_ENTRY_LEN;
            let (offset, len) = (read_u32(&kept, at + 4).unwrap() as usize, read_u32(&kept, at + 8).unwrap() as usize);
            (&kept[at..at + 4], &kept[offset..offset + len], offset % 4)
        };
        assert_eq!(tag(0), (&b"wtpt"[..], &white[..], 0));
        assert_eq!(tag(1), (&b"rTRC"[..], &curve[..], 0));
        assert_eq!(colours_only(&kept), Some(kept.clone()), "a clean profile is kept as it is");
    }

    #[test]
    fn tags_that_shared_their_data_share_it_again() {
        let curve = b"curv\0\0\0\0\0\0\0\x01\x02\x33".as_slice();
        let mut header = vec![0u8; HEADER_LEN];
        header[36..40].copy_from_slice(b"acsp");
        let shared = rebuilt(&header, &[(*b"rTRC", curve), (*b"gTRC", curve), (*b"desc", b"desc\0\0\0\0text")]);
        let kept = colours_only(&shared).unwrap();
        let offset = |i: usize| read_u32(&kept, HEADER_LEN + 4 + i * TAG_ENTRY_LEN + 4);
        assert_eq!(offset(0), offset(1));
        assert_eq!(kept.len(), HEADER_LEN + 4 + 2 * TAG_ENTRY_LEN + 16);
    }

    #[test]
    fn a_profile_that_does_not_parse_or_has_no_colour_is_dropped() {
        let good = white_point_only();
        assert!(colours_only(&good).is_some());
        assert_eq!(colours_only(&good[..100]), None, "cut short");
        let mut pointing_away = good.clone();
        pointing_away[HEADER_LEN + 8..HEADER_LEN + 12].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(colours_only(&pointing_away), None, "a tag beyond the end");
        let mut too_many = good.clone();
        too_many[HEADER_LEN..HEADER_LEN + 4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(colours_only(&too_many), None);
        assert_eq!(colours_only(&profile(&[(b"desc", b"desc\0\0\0\0words")])), None, "text only");
        assert_eq!(colours_only(&profile(&[(b"rXYZ", b"desc\0\0\0\0MRN 00482913")])), None, "a colour tag holding text");
        assert_eq!(colours_only(&[]), None);
    }
}
