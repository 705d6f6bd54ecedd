//! A query's column list written once, and its columns read by name at no cost: the SQL is built
//! from the list, and `row.get(const { LIST.at("title") })` finds the column's index when the
//! program is compiled (a name not in the list does not compile). Used where rows are many (lists,
//! testimonies, reuse reports); elsewhere rows are read with rusqlite's `row.get("name")`.

/// Columns as the SELECT writes them (`r.title`, `what % 2 AS read`), after `offset` others.
pub struct Columns<const N: usize> {
    expressions: [&'static str; N],
    offset: usize,
}

impl<const N: usize> Columns<N> {
    /// The first columns of a SELECT.
    pub const fn new(expressions: [&'static str; N]) -> Self {
        Columns { expressions, offset: 0 }
    }

    /// Columns that follow `before`'s in a SELECT.
    pub const fn after<const M: usize>(before: &Columns<M>, expressions: [&'static str; N]) -> Self {
        Columns { expressions, offset: before.offset + M }
    }

    /// The index of the column known as `name`: its alias (`… AS name`), else its column's name
    /// without the table (`r.name`). Panics — at compile time, in a `const` block — when no
    /// column or two are known by it.
    pub const fn at(&self, name: &str) -> usize {
        let mut found = None;
        let mut index = 0;
        while index < N {
            if known_as(self.expressions[index].as_bytes(), name.as_bytes()) {
                if found.is_some() {
                    panic!("two columns of the list are known by this name: give one an alias");
                }
                found = Some(self.offset + index);
            }
            index += 1;
        }
        match found {
            Some(index) => index,
            None => panic!("no such column in the list"),
        }
    }

    /// The list as SQL: `r.id, r.kind, …`.
    pub fn sql(&self) -> String {
        self.expressions.join(", ")
    }
}

/// Whether `expression` is known as `name`: it is `name`, or ends with `.name` or ` AS name`.
const fn known_as(expression: &[u8], name: &[u8]) -> bool {
    if expression.len() < name.len() {
        return false;
    }
    let start = expression.len() - name.len();
    let mut at = 0;
    while at < name.len() {
        if expression[start + at] != name[at] {
            return false;
        }
        at += 1;
    }
    start == 0 || expression[start - 1] == b'.' || (start >= 4 && ends_with_as(expression, start))
}

const fn ends_with_as(expression: &[u8], end: usize) -> bool {
    let alias = b" AS ";
    let mut at = 0;
    while at < 4 {
        if expression[end - 4 + at] != alias[at] {
            return false;
        }
        at += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::Columns;

    const FIRST: Columns<3> = Columns::new(["r.id", "n.name", "what % 2 AS read"]);
    const THEN: Columns<2> = Columns::after(&FIRST, ["v.provider", "count"]);

    #[test]
    fn columns_are_found_by_the_name_they_are_known_as() {
        assert_eq!([FIRST.at("id"), FIRST.at("name"), FIRST.at("read")], [0, 1, 2]);
        assert_eq!([THEN.at("provider"), THEN.at("count")], [3, 4]);
        assert_eq!(FIRST.sql(), "r.id, n.name, what % 2 AS read");
        let absent = std::panic::catch_unwind(|| FIRST.at("ad"));
        assert!(absent.is_err(), "a suffix of a name is not the name");
        let twice = Columns::new(["r.id", "n.id"]);
        assert!(std::panic::catch_unwind(|| twice.at("id")).is_err(), "which id is not guessed");
    }
}
