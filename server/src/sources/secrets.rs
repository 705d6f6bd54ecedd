//! Credentials in source addresses (`https://oauth2:TOKEN@forge/…`, `?token=…`, or `${NAME}` taken
//! from the environment) are used to fetch and never shown: `/api/v1/sources`, the errors it
//! publishes and the logs see them as `***`, and a folder of this machine by its name only.

use crate::address::has_web_scheme;
use ammonia::Url;

/// What stands for a secret wherever one would have been shown.
pub const HIDDEN: &str = "***";

/// Query parameters whose value is a credential, by a word of their name.
const SECRET_PARAMETER_WORDS: &[&str] =
    &["token", "key", "secret", "password", "passwd", "pwd", "auth", "sig", "session", "credential"];

/// `text` with each `${NAME}` replaced by `lookup(NAME)`, and the values put in (secrets all);
/// an error naming the variable when it has no value.
pub fn expand(text: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<(String, Vec<String>), String> {
    let (mut out, mut values, mut rest) = (String::new(), Vec::new(), text);
    while let Some(start) = rest.find("${") {
        let end = rest[start..].find('}').map(|at| start + at).ok_or("`${` sans `}` fermante")?;
        let name = &rest[start + 2..end];
        let value = lookup(name).filter(|value| !value.is_empty()).ok_or_else(|| {
            format!("la variable d'environnement {name} n'est pas définie (le fichier des sources la nomme)")
        })?;
        out.push_str(&rest[..start]);
        out.push_str(&value);
        values.push(value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok((out, values))
}

/// The credentials an address carries: its password, its user name when it is the token
/// (`https://TOKEN@github.com/…`), the values of its secret-looking query parameters.
pub fn secrets_of(address: &str) -> Vec<String> {
    let Ok(url) = Url::parse(address) else { return Vec::new() };
    let mut secrets: Vec<String> = url.password().map(str::to_owned).into_iter().collect();
    if !url.username().is_empty() && (url.password().is_none() || url.username().len() >= 20) {
        secrets.push(url.username().to_owned());
    }
    for (name, value) in url.query_pairs() {
        let name = name.to_ascii_lowercase();
        if !value.is_empty() && SECRET_PARAMETER_WORDS.iter().any(|word| name.contains(word)) {
            secrets.push(value.into_owned());
        }
    }
    secrets
}

/// `text` with every secret, and every user part of an address (`scheme://user:pass@`), hidden.
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut text = text.to_owned();
    // Longest first, so that a secret holding another is hidden whole.
    let mut secrets: Vec<&String> = secrets.iter().filter(|secret| secret.len() >= 4).collect();
    secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
    for secret in secrets {
        text = text.replace(secret.as_str(), HIDDEN);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("://") {
        let authority_start = at + 3;
        out.push_str(&rest[..authority_start]);
        rest = &rest[authority_start..];
        let authority_end =
            rest.find(|c: char| matches!(c, '/' | '?' | '#' | '\'' | '"') || c.is_whitespace());
        let authority = &rest[..authority_end.unwrap_or(rest.len())];
        if let Some(user_end) = authority.rfind('@') {
            out.push_str(HIDDEN);
            rest = &rest[user_end..];
        }
    }
    out.push_str(rest);
    out
}

/// An address as it may be published: without its user part and with its secret query values
/// hidden; a path of this machine (`/srv/…`, `file:///srv/…`) by its last name only.
pub fn public_address(address: &str) -> String {
    if has_web_scheme(address) {
        return match Url::parse(address) {
            Ok(mut url) => {
                let hidden = redact(url.query().unwrap_or_default(), &secrets_of(address));
                let _ = url.set_username("");
                let _ = url.set_password(None);
                url.set_query(url.query().is_some().then_some(hidden.as_str()));
                url.into()
            }
            Err(_) => HIDDEN.to_owned(),
        };
    }
    let path = address.strip_prefix("file://").unwrap_or(address);
    if path.starts_with('/') {
        let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
        return name.to_owned();
    }
    path.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_used_and_never_shown() {
        let forge = "https://oauth2:glpat-s3cr3t-T0KEN@framagit.org/reseau/fiches.git";
        assert_eq!(secrets_of(forge), ["glpat-s3cr3t-T0KEN"]);
        assert_eq!(public_address(forge), "https://framagit.org/reseau/fiches.git");
        let github = "https://ghp_abcdefghijklmnopqrstuvwxyz@github.com/o/r.git";
        assert_eq!(public_address(github), "https://github.com/o/r.git");
        let wiki = "https://wiki.example/api.php?access_token=abcd1234&lang=fr";
        assert_eq!(public_address(wiki), "https://wiki.example/api.php?access_token=***&lang=fr");
        assert_eq!(public_address("/srv/bao/depots/fiches"), "fiches");
        assert_eq!(public_address("file:///tmp/x/absent.git"), "absent.git");
        assert_eq!(public_address("content/exemples-fiches"), "content/exemples-fiches");

        let error = "git fetch: fatal: unable to access 'https://oauth2:glpat-s3cr3t-T0KEN@framagit.org/reseau/fiches.git/': \
                     The requested URL returned error: 403; token glpat-s3cr3t-T0KEN";
        let shown = redact(error, &secrets_of(forge));
        assert!(!shown.contains("s3cr3t") && !shown.contains("oauth2"), "{shown}");
        assert!(shown.contains("'https://***@framagit.org/reseau/fiches.git/'"), "{shown}");
        let other = redact("see https://user:pw@host.example/x and http://host.example/a@b", &[]);
        assert_eq!(other, "see https://***@host.example/x and http://host.example/a@b");
    }

    #[test]
    fn variables_of_the_environment_fill_addresses() {
        let lookup = |name: &str| (name == "BAO_JETON").then(|| "s3cr3t".to_owned());
        let (url, secrets) = expand("https://oauth2:${BAO_JETON}@framagit.org/r.git", lookup).unwrap();
        assert_eq!(
            (url.as_str(), secrets),
            ("https://oauth2:s3cr3t@framagit.org/r.git", vec!["s3cr3t".to_owned()])
        );
        assert!(expand("https://${ABSENTE}@h/r.git", lookup).unwrap_err().contains("ABSENTE"));
        assert!(expand("https://${OUVERTE@h", lookup).is_err());
        assert_eq!(expand("sans-variable", lookup).unwrap().0, "sans-variable");
    }
}
