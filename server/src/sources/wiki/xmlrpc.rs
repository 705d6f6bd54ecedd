//! The little of XML-RPC that DokuWiki's API needs: a call with string, integer or struct
//! arguments, and its answer (or fault) as a tree of values. Answers are untrusted: read with
//! roxmltree, which refuses DTDs (no entity expansion), after the client's size limit.

use std::collections::BTreeMap;

use super::{WikiError, WikiHttp};
use crate::sources::text::escape_html as escape;

/// A value of an XML-RPC answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Int(i64),
    Bool(bool),
    Double(f64),
    /// `dateTime.iso8601`, as written.
    DateTime(String),
    Array(Vec<Value>),
    Struct(BTreeMap<String, Value>),
    Nil,
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) | Value::DateTime(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(number) => Some(*number),
            _ => None,
        }
    }

    pub fn as_array(&self) -> &[Value] {
        match self {
            Value::Array(items) => items,
            _ => &[],
        }
    }

    /// A member of a struct.
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Struct(members) => members.get(name),
            _ => None,
        }
    }
}

/// An argument of a call.
pub enum Argument<'a> {
    String(&'a str),
    Int(i64),
    /// A struct of integer members (`{depth: 0}`).
    Options(&'a [(&'a str, i64)]),
}

/// Calls `method` at `url` and returns its answer.
pub fn call(http: &WikiHttp, url: &str, method: &str, arguments: &[Argument]) -> Result<Value, WikiError> {
    let mut body =
        format!("<?xml version=\"1.0\"?><methodCall><methodName>{}</methodName><params>", escape(method));
    for argument in arguments {
        body.push_str("<param><value>");
        match argument {
            Argument::String(text) => body.push_str(&format!("<string>{}</string>", escape(text))),
            Argument::Int(number) => body.push_str(&format!("<int>{number}</int>")),
            Argument::Options(members) => {
                body.push_str("<struct>");
                for (name, number) in *members {
                    body.push_str(&format!(
                        "<member><name>{}</name><value><int>{number}</int></value></member>",
                        escape(name)
                    ));
                }
                body.push_str("</struct>");
            }
        }
        body.push_str("</value></param>");
    }
    body.push_str("</params></methodCall>");
    let answer = http.post(url, "text/xml", &body)?;
    parse_answer(&answer).map_err(|reason| match reason {
        Answer::Fault(message) => WikiError::Refused(format!("{method} : {message}")),
        Answer::Unreadable(reason) => WikiError::Unreadable { url: url.to_owned(), reason },
    })
}

enum Answer {
    Fault(String),
    Unreadable(String),
}

fn parse_answer(xml: &str) -> Result<Value, Answer> {
    let document = roxmltree::Document::parse(xml).map_err(|error| Answer::Unreadable(error.to_string()))?;
    let response = document.root_element();
    if response.tag_name().name() != "methodResponse" {
        return Err(Answer::Unreadable("pas une réponse XML-RPC".into()));
    }
    let value_of = |parent: roxmltree::Node| {
        parent.descendants().find(|node| node.has_tag_name("value")).map(value).unwrap_or(Value::Nil)
    };
    if let Some(fault) = response.children().find(|node| node.has_tag_name("fault")) {
        let fault = value_of(fault);
        let message = fault.get("faultString").and_then(Value::as_str).unwrap_or("erreur sans détail");
        return Err(Answer::Fault(message.to_owned()));
    }
    let param = response
        .descendants()
        .find(|node| node.has_tag_name("param"))
        .ok_or_else(|| Answer::Unreadable("réponse sans valeur".into()))?;
    Ok(value_of(param))
}

/// The value a `<value>` element holds (a bare text is a string, as the format says).
fn value(node: roxmltree::Node) -> Value {
    let Some(typed) = node.children().find(roxmltree::Node::is_element) else {
        return Value::String(node.text().unwrap_or_default().to_owned());
    };
    let text = || typed.text().unwrap_or_default().trim().to_owned();
    match typed.tag_name().name() {
        "string" => Value::String(typed.text().unwrap_or_default().to_owned()),
        "int" | "i4" | "i8" => text().parse().map_or(Value::Nil, Value::Int),
        "boolean" => Value::Bool(text() == "1"),
        "double" => text().parse().map_or(Value::Nil, Value::Double),
        "dateTime.iso8601" => Value::DateTime(text()),
        "array" => Value::Array(
            typed
                .children()
                .filter(|node| node.has_tag_name("data"))
                .flat_map(|data| data.children().filter(|node| node.has_tag_name("value")))
                .map(value)
                .collect(),
        ),
        "struct" => Value::Struct(
            typed
                .children()
                .filter(|node| node.has_tag_name("member"))
                .filter_map(|member| {
                    let name = member.children().find(|node| node.has_tag_name("name"))?.text()?.to_owned();
                    let value = member.children().find(|node| node.has_tag_name("value")).map(value)?;
                    Some((name, value))
                })
                .collect(),
        ),
        _ => Value::Nil,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_and_faults_as_dokuwiki_writes_them() {
        let answer = r#"<?xml version="1.0"?><methodResponse><params><param><value><array><data>
            <value><struct><member><name>id</name><value><string>fiches:dispositif</string></value></member>
            <member><name>rev</name><value><int>1795811623</int></value></member></struct></value>
            <value>nu</value></data></array></value></param></params></methodResponse>"#;
        let Ok(Value::Array(items)) = parse_answer(answer) else { panic!("an array") };
        assert_eq!(items[0].get("id").and_then(Value::as_str), Some("fiches:dispositif"));
        assert_eq!(items[0].get("rev").and_then(Value::as_int), Some(1_795_811_623));
        assert_eq!(items[1], Value::String("nu".into()));

        let fault = r#"<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>-32604</int></value></member><member><name>faultString</name><value><string>Access denied</string></value></member></struct></value></fault></methodResponse>"#;
        assert!(matches!(parse_answer(fault), Err(Answer::Fault(message)) if message == "Access denied"));

        let entities = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><methodResponse/>"#;
        assert!(matches!(parse_answer(entities), Err(Answer::Unreadable(_))), "no DTD, no entity expansion");
    }
}
