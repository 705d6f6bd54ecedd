//! Licences as sources write them ("sous licence Creative Commons BY-NC-SA", `licence: CC-BY-SA`,
//! a LICENSE file saying "CC-BY-SA 4.0"), read into the contract's [`Licence`].

use bao_contract::Licence;

/// One Creative Commons licence: which elements, and the version when the source gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreativeCommons {
    zero: bool,
    non_commercial: bool,
    share_alike: bool,
    no_derivatives: bool,
    version: Option<String>,
}

impl CreativeCommons {
    /// Order of restriction: when a fiche mixes licences, the most restrictive one binds a reuser.
    fn restriction(&self) -> u8 {
        u8::from(self.non_commercial) * 4 + u8::from(self.no_derivatives) * 2 + u8::from(self.share_alike)
    }

    /// `by-nc-sa`, as in the deed URLs.
    fn code(&self) -> String {
        if self.zero {
            return "zero".into();
        }
        let mut code = String::from("by");
        for (on, part) in
            [(self.non_commercial, "-nc"), (self.no_derivatives, "-nd"), (self.share_alike, "-sa")]
        {
            if on {
                code.push_str(part);
            }
        }
        code
    }

    pub fn into_licence(self, raw: Option<String>) -> Licence {
        let code = self.code();
        let (label, spdx, url) = if self.zero {
            (
                "CC0 1.0".to_owned(),
                Some("CC0-1.0".to_owned()),
                "https://creativecommons.org/publicdomain/zero/1.0/deed.fr".to_owned(),
            )
        } else {
            let upper = code.to_uppercase();
            let label = match &self.version {
                Some(version) => format!("CC {upper} {version}"),
                None => format!("CC {upper}"),
            };
            let spdx = self.version.as_ref().map(|version| format!("CC-{upper}-{version}"));
            // Without a version, the deed of the current version is the most useful link.
            let version = self.version.as_deref().unwrap_or("4.0");
            (label, spdx, format!("https://creativecommons.org/licenses/{code}/{version}/deed.fr"))
        };
        Licence {
            spdx,
            label,
            url: Some(url),
            raw,
            version_unknown: !self.zero && self.version.is_none(),
            open: !self.non_commercial && !self.no_derivatives,
        }
    }
}

/// The licence to record when a source says nothing.
pub fn unknown() -> Licence {
    Licence { label: "Licence non précisée".into(), ..Licence::default() }
}

/// The licence a sources file declares for a source (`licence = "CC BY-SA 4.0"`).
pub fn declared(text: &str) -> Licence {
    let raw = Some(format!("déclarée par la source : {text}"));
    match parse_line(text).into_iter().next() {
        Some(cc) => cc.into_licence(raw),
        None => Licence { label: text.to_owned(), raw, ..unknown() },
    }
}

/// The licence a whole site declares (a wiki's rights: a deed URL, a name or both), if it names
/// one; `None` when it says nothing, so that the sources file's may apply.
pub fn of_site(url: &str, text: &str) -> Option<Licence> {
    let (url, text) = (url.trim(), text.trim());
    if url.is_empty() && text.is_empty() {
        return None;
    }
    let raw = Some(match (url.is_empty(), text.is_empty()) {
        (false, false) => format!("licence du site : {text} ({url})"),
        (true, _) => format!("licence du site : {text}"),
        (_, true) => format!("licence du site : {url}"),
    });
    // `creativecommons.org/licenses/by-sa/4.0/deed.fr` → `CC by-sa 4.0`
    let from_url = url.split_once("creativecommons.org/").map(|(_, path)| {
        let mut parts = path.split('/');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("publicdomain"), Some("zero"), _) => "CC0".to_owned(),
            (Some("licenses"), Some(code), version) => format!("CC {code} {}", version.unwrap_or_default()),
            _ => String::new(),
        }
    });
    let found = from_url
        .iter()
        .map(String::as_str)
        .chain([text])
        .find_map(|line| parse_line(line).into_iter().next());
    Some(match found {
        Some(cc) => cc.into_licence(raw),
        None => Licence {
            label: if text.is_empty() { url.to_owned() } else { text.to_owned() },
            url: (url.starts_with("https://") || url.starts_with("http://")).then(|| url.to_owned()),
            raw,
            ..unknown()
        },
    })
}

/// Every Creative Commons licence named in `text`, in order, with the line it was named on as
/// text (links reduced to their words, emphasis dropped).
pub fn find_all(text: &str) -> Vec<(CreativeCommons, String)> {
    text.lines()
        .flat_map(|line| parse_line(line).into_iter().map(move |cc| (cc, line)))
        .map(|(cc, line)| (cc, super::text::plain_text(line)))
        .collect()
}

/// The licence of a resource: its front matter field first, then what its text says (the most
/// restrictive licence named, keeping every mention as raw text), then the repository's.
pub fn resolve(front_matter: Option<&str>, body: &str, repository_default: Option<&Licence>) -> Licence {
    if let Some(field) = front_matter {
        return match parse_line(field).into_iter().next() {
            Some(cc) => cc.into_licence(Some(field.to_owned())),
            None => Licence { label: field.to_owned(), raw: Some(field.to_owned()), ..unknown() },
        };
    }
    let mentions = find_all(body);
    if let Some((strictest, _)) = mentions.iter().max_by_key(|(cc, _)| cc.restriction()) {
        let mut lines: Vec<&str> = Vec::new();
        for (_, line) in &mentions {
            if !lines.contains(&line.as_str()) {
                lines.push(line);
            }
        }
        let raw: String = lines.join(" / ").chars().take(600).collect();
        return strictest.clone().into_licence(Some(raw));
    }
    repository_default.cloned().unwrap_or_else(unknown)
}

/// Reads the licences of one line: `CC`, `CC0` or `Creative Commons`, then BY/NC/SA/ND, then an
/// optional version.
fn parse_line(line: &str) -> Vec<CreativeCommons> {
    let normalized = line.to_uppercase().replace(['-', '_', '/', '(', ')', ','], " ");
    let words: Vec<&str> = normalized
        .split_whitespace()
        .map(|word| word.trim_end_matches(['.', ';', ':', '!', '?', '»', '"']))
        .collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let start = match (words[i], words.get(i + 1)) {
            ("CC0", _) => {
                found.push(CreativeCommons::zero());
                i += 1;
                continue;
            }
            ("CC", _) => i + 1,
            ("CREATIVE", Some(&"COMMONS")) => i + 2,
            _ => {
                i += 1;
                continue;
            }
        };
        let mut cc = CreativeCommons::by();
        let mut j = start;
        let mut has_by = false;
        while let Some(word) = words.get(j) {
            match *word {
                "BY" => has_by = true,
                "NC" => cc.non_commercial = true,
                "SA" => cc.share_alike = true,
                "ND" => cc.no_derivatives = true,
                "ZERO" | "0" if j == start => {
                    cc = CreativeCommons::zero();
                    has_by = true;
                }
                _ => break,
            }
            j += 1;
        }
        if let Some(version) = words.get(j).filter(|w| is_version(w)) {
            cc.version = Some((*version).to_owned());
            j += 1;
        }
        if has_by {
            found.push(cc);
        }
        i = j.max(i + 1);
    }
    found
}

impl CreativeCommons {
    fn by() -> Self {
        CreativeCommons {
            zero: false,
            non_commercial: false,
            share_alike: false,
            no_derivatives: false,
            version: None,
        }
    }

    fn zero() -> Self {
        CreativeCommons { zero: true, version: Some("1.0".into()), ..CreativeCommons::by() }
    }
}

fn is_version(word: &str) -> bool {
    matches!(word, "1.0" | "2.0" | "2.5" | "3.0" | "4.0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sites_licence_from_its_deed_or_its_name() {
        let by_url =
            of_site("https://creativecommons.org/licenses/by-sa/4.0/deed.fr", "Creative Commons").unwrap();
        assert_eq!((by_url.label.as_str(), by_url.spdx.as_deref()), ("CC BY-SA 4.0", Some("CC-BY-SA-4.0")));
        let by_name = of_site("", "cc-by-nc-sa").unwrap();
        assert!(!by_name.open, "{by_name:?}");
        let other = of_site("https://example.org/licence", "Licence Art Libre").unwrap();
        assert_eq!(other.label, "Licence Art Libre");
        assert_eq!(other.url.as_deref(), Some("https://example.org/licence"));
        assert_eq!(of_site(" ", ""), None);
    }

    #[test]
    fn reads_inline_french_mentions() {
        let licence = resolve(None, "Publié sous licence Creative Commons BY-NC-SA.", None);
        assert_eq!(licence.label, "CC BY-NC-SA");
        assert!(licence.version_unknown);
        assert!(!licence.open);
        assert_eq!(licence.spdx, None);
        assert_eq!(licence.url.as_deref(), Some("https://creativecommons.org/licenses/by-nc-sa/4.0/deed.fr"));
    }

    #[test]
    fn versioned_licences_get_an_spdx_id() {
        let licence = resolve(None, "", Some(&resolve(Some("CC-BY-SA 4.0"), "", None)));
        assert_eq!(licence.spdx.as_deref(), Some("CC-BY-SA-4.0"));
        assert_eq!(licence.label, "CC BY-SA 4.0");
        assert!(licence.open);
        assert!(!licence.version_unknown);
    }

    #[test]
    fn mixed_mentions_keep_the_most_restrictive_and_all_raw_text() {
        let body = "Photo sous licence Creative Commons BY\n\nTexte sous licence Creative Commons BY-NC-SA\nAutre CC BY SA";
        let licence = resolve(None, body, None);
        assert_eq!(licence.label, "CC BY-NC-SA");
        let raw = licence.raw.unwrap();
        assert!(raw.contains("Photo sous licence Creative Commons BY") && raw.contains("Autre CC BY SA"));
    }

    #[test]
    fn front_matter_wins_and_unknown_text_is_kept() {
        assert_eq!(resolve(Some("CC-BY-SA"), "CC BY-NC", None).label, "CC BY-SA");
        let odd = resolve(Some("Art libre"), "", None);
        assert_eq!(odd.label, "Art libre");
        assert!(!odd.open);
        assert_eq!(resolve(None, "licences libres", None).label, "Licence non précisée");
        assert_eq!(resolve(None, "", None).label, "Licence non précisée");
    }

    #[test]
    fn cc_zero() {
        let licence = resolve(Some("CC0"), "", None);
        assert_eq!(licence.spdx.as_deref(), Some("CC0-1.0"));
        assert!(licence.open);
    }
}
