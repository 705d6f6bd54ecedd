//! Front matter of multiBàO Markdown files as they occur in the wild: between `---` lines at the
//! top, hidden inside an HTML comment at the top, or absent; YAML that does not parse is read line
//! by line as `key: value` rather than lost.

use std::collections::BTreeMap;

use serde_norway::Value;

/// The front matter fields the importer uses, plus the Markdown that follows it.
#[derive(Debug, Default, PartialEq)]
pub struct Document<'a> {
    pub fields: BTreeMap<String, FieldValue>,
    pub body: &'a str,
    /// Set when the YAML did not parse and the line-by-line reading was used.
    pub lenient: bool,
}

/// A front matter value, reduced to what the content model needs.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Text(String),
    List(Vec<String>),
}

impl Document<'_> {
    /// The field as text, if present, not null and not blank.
    pub fn text(&self, key: &str) -> Option<&str> {
        match self.fields.get(key) {
            Some(FieldValue::Text(text)) if !text.trim().is_empty() => Some(text.trim()),
            _ => None,
        }
    }

    /// The field as a list: a YAML list, or a text split on `;` and `,`.
    pub fn list(&self, key: &str) -> Vec<String> {
        let items = match self.fields.get(key) {
            Some(FieldValue::List(items)) => items.clone(),
            Some(FieldValue::Text(text)) => text.split([';', ',']).map(str::to_owned).collect(),
            None => Vec::new(),
        };
        items.into_iter().map(|item| item.trim().to_owned()).filter(|item| !item.is_empty()).collect()
    }
}

/// Splits a file into its front matter and its Markdown body.
pub fn split(text: &str) -> Document<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    if let Some((yaml, body)) = fenced_block(trimmed) {
        return parse_fields(yaml, body);
    }
    // Front matter hidden in a leading HTML comment (so GitHub does not render it).
    if let Some(after_open) = trimmed.strip_prefix("<!--")
        && let Some(close) = after_open.find("-->")
        && let Some((yaml, _)) = fenced_block(after_open[..close].trim_start())
    {
        return parse_fields(yaml, &after_open[close + 3..]);
    }
    Document { fields: BTreeMap::new(), body: text, lenient: false }
}

/// `---\n…\n---` at the start of `text`: returns the YAML between the fences and what follows.
fn fenced_block(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("---")?;
    let rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n'))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

fn parse_fields<'a>(yaml: &str, body: &'a str) -> Document<'a> {
    match serde_norway::from_str::<Value>(yaml) {
        Ok(Value::Mapping(mapping)) => {
            let fields = mapping
                .into_iter()
                .filter_map(|(key, value)| Some((key.as_str()?.to_owned(), field_value(value)?)))
                .collect();
            Document { fields, body, lenient: false }
        }
        Ok(Value::Null) => Document { fields: BTreeMap::new(), body, lenient: false },
        _ => Document { fields: lenient_fields(yaml), body, lenient: true },
    }
}

fn field_value(value: Value) -> Option<FieldValue> {
    match value {
        Value::String(text) => Some(FieldValue::Text(text)),
        Value::Bool(flag) => Some(FieldValue::Text(flag.to_string())),
        Value::Number(number) => Some(FieldValue::Text(number.to_string())),
        Value::Sequence(items) => Some(FieldValue::List(
            items
                .into_iter()
                .filter_map(|item| match field_value(item)? {
                    FieldValue::Text(text) => Some(text),
                    FieldValue::List(_) => None,
                })
                .collect(),
        )),
        _ => None,
    }
}

/// Reads `key: value` lines, for front matter that is not valid YAML (unquoted colons…).
fn lenient_fields(yaml: &str) -> BTreeMap<String, FieldValue> {
    yaml.lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(':')?;
            let key = key.trim();
            let valid_key =
                !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            let value = value.trim().trim_matches(['"', '\'']);
            // A flow collection is what broke the YAML: its text is not a usable value.
            let usable = value != "null" && !value.starts_with(['[', '{']);
            (valid_key && usable).then(|| (key.to_owned(), FieldValue::Text(value.into())))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_front_matter_at_the_top() {
        let doc = split("---\ntitle: Kanban\ndescription: null\ntags: [a, b]\n---\n\n# H1\n");
        assert_eq!(doc.text("title"), Some("Kanban"));
        assert_eq!(doc.text("description"), None);
        assert_eq!(doc.list("tags"), vec!["a", "b"]);
        assert_eq!(doc.body, "\n# H1\n");
    }

    #[test]
    fn reads_front_matter_hidden_in_a_comment() {
        let doc = split("<!--\n\n---\ntitle: Caché\nlicence: CC-BY-SA\n---\n\n-->\n\n# Visible\n");
        assert_eq!(doc.text("title"), Some("Caché"));
        assert_eq!(doc.text("licence"), Some("CC-BY-SA"));
        assert_eq!(doc.body.trim(), "# Visible");
    }

    #[test]
    fn keeps_a_plain_comment_in_the_body() {
        let text = "<!-- note -->\n# Titre\n";
        let doc = split(text);
        assert!(doc.fields.is_empty());
        assert_eq!(doc.body, text);
    }

    #[test]
    fn without_front_matter_the_whole_text_is_body() {
        let doc = split("# KANBAN\n\n## Principes\n");
        assert!(doc.fields.is_empty());
        assert_eq!(doc.body, "# KANBAN\n\n## Principes\n");
    }

    #[test]
    fn invalid_yaml_is_read_line_by_line() {
        let doc = split("---\ntitle: Troc: école\nauthor: A; B\n  - : [\n---\nbody");
        assert!(doc.lenient);
        assert_eq!(doc.text("title"), Some("Troc: école"));
        assert_eq!(doc.list("author"), vec!["A", "B"]);
        assert_eq!(doc.body, "body");
    }

    #[test]
    fn unterminated_front_matter_is_body() {
        let doc = split("---\ntitle: x\n");
        assert!(doc.fields.is_empty());
    }
}
