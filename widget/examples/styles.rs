//! Prints the elements' stylesheets as one JSON object, `{"bao-card": "…css…", …}`, for
//! `cargo xtask build-widget` to write out as content-hashed files.

fn main() {
    let sheets: std::collections::BTreeMap<_, _> = bao_widget::styles::stylesheets().into_iter().collect();
    match serde_json::to_string(&sheets) {
        Ok(json) => println!("{json}"),
        Err(error) => {
            eprintln!("styles: {error}");
            std::process::exit(1);
        }
    }
}
