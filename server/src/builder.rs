//! The snippet builder at `/integrer`: a webmaster chooses an element and its settings, sees it
//! live, and copies the snippet that suits their site (script and element, iframe, or the
//! address for oEmbed). Server-rendered in French; one script file of ours drives it.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use bao_contract::{Kind, MAX_PAGE_LIMIT};

use crate::AppState;
use crate::db::{Database, DbError, ListFilter};
use crate::embed::public_origin;
use crate::error::ApiError;
use crate::pages::escape;

/// Most resources offered in the builder's list (the others are reached by typing their id).
const MAX_LISTED: usize = 2_000;

/// `GET /integrer`.
pub async fn builder_page(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (resources, networks) = state.query(|db| Ok((listed_resources(db)?, db.networks()?))).await?;
    let origin = public_origin(&headers);
    let integrity = state.bundle.as_ref().map(|bundle| bundle.embed_js_integrity.clone()).unwrap_or_default();
    let options: String = resources
        .iter()
        .map(|(id, title)| format!(r#"<option value="{}">{}</option>"#, escape(id), escape(title)))
        .collect();
    let network_options: String = networks
        .iter()
        .map(|n| format!(r#"<option value="{}">{}</option>"#, escape(&n.network.id), escape(&n.network.name)))
        .collect();
    let kind_options: String = Kind::ALL
        .iter()
        .map(|kind| format!(r#"<option value="{}">{}</option>"#, kind.as_str(), kind.label_fr()))
        .collect();
    let first = resources.first().map(|(id, _)| escape(id)).unwrap_or_default();
    Ok(Html(format!(
        r#"<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Intégrer une ressource du commun — multiBàO</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/integrer.css">
<script src="/embed.js"></script>
</head>
<body>
<main id="builder" data-origin="{origin}" data-integrity="{integrity}">
<h1>Intégrer une ressource du commun</h1>
<p>Choisissez ce que vous voulez montrer, regardez l'aperçu, puis copiez le code qui convient à votre site.</p>
<form id="choices">
<fieldset>
<legend>Quoi ?</legend>
<label><input type="radio" name="element" value="card" checked> Une fiche</label>
<label><input type="radio" name="element" value="search"> Un champ de recherche</label>
<label><input type="radio" name="element" value="testimonials"> Un carrousel de témoignages filmés</label>
</fieldset>
<p data-for="card"><label for="resource">Fiche (tapez un mot du titre)</label>
<input id="resource" name="resource" list="resources" value="{first}" autocomplete="off" aria-describedby="resource-help">
<span id="resource-help" class="help" aria-live="polite"></span></p>
<datalist id="resources">{options}</datalist>
<p data-for="search testimonials"><label for="network">Réseau</label>
<select id="network" name="network"><option value="">Tous les réseaux</option>{network_options}</select></p>
<p data-for="search testimonials"><label for="tag">Thème (mot-clé exact, facultatif)</label>
<input id="tag" name="tag"></p>
<p data-for="search"><label for="kind">Type de ressource</label>
<select id="kind" name="kind"><option value="">Tous les types</option>{kind_options}</select></p>
<p data-for="testimonials"><label for="limit">Nombre de témoignages</label>
<input id="limit" name="limit" type="number" min="1" max="30" value="8"></p>
<p><label for="theme">Apparence</label>
<select id="theme" name="theme"><option value="">Celle de mon site (police et couleur du texte)</option><option value="light">Claire</option><option value="dark">Sombre</option><option value="auto">Claire ou sombre selon le visiteur</option></select></p>
<p><label for="lang">Langue</label>
<select id="lang" name="lang"><option value="fr">Français</option><option value="en">English</option></select></p>
<p><label><input type="checkbox" name="sri" checked> Verrouiller la version du script (SRI) : plus sûr, mais à recopier après chaque mise à jour du serveur</label></p>
</form>
<section aria-labelledby="preview-title">
<h2 id="preview-title">Aperçu</h2>
<div id="preview"></div>
</section>
<section aria-labelledby="code-title">
<h2 id="code-title">Votre code</h2>
<p id="copied" class="help" role="status"></p>
<h3 id="script-title">1. Script et élément</h3>
<p>Là où vous pouvez coller du HTML avec un script (bloc HTML de WordPress pour les administrateurs, squelette SPIP, YesWiki). Le lien à l'intérieur s'affiche si le script ne peut pas se charger.</p>
<textarea id="snippet-script" readonly rows="5" aria-labelledby="script-title"></textarea>
<button type="button" data-copy="snippet-script">Copier le script et l'élément</button>
<h3 id="iframe-title">2. Iframe</h3>
<p>Là où les scripts sont retirés mais les iframes gardées. La seconde ligne ajuste la hauteur ; sans elle, l'iframe garde la hauteur donnée.</p>
<textarea id="snippet-iframe" readonly rows="4" aria-labelledby="iframe-title"></textarea>
<button type="button" data-copy="snippet-iframe">Copier l'iframe</button>
<h3 id="url-title">3. Adresse (oEmbed)</h3>
<p>Collez-la seule sur une ligne dans WordPress (ou tout outil qui lit oEmbed) : il affiche la fiche.</p>
<textarea id="snippet-url" readonly rows="1" aria-labelledby="url-title"></textarea>
<button type="button" data-copy="snippet-url">Copier l'adresse</button>
</section>
</main>
<script src="/integrer.js"></script>
</body>
</html>"#,
        origin = escape(&origin),
        integrity = escape(&integrity),
    ))
    .into_response())
}

/// Ids and titles of the resources, by title, at most [`MAX_LISTED`].
fn listed_resources(db: &Database) -> Result<Vec<(String, String)>, DbError> {
    let mut listed = Vec::new();
    let mut filter = ListFilter { limit: MAX_PAGE_LIMIT, ..ListFilter::default() };
    loop {
        let page = db.list(&filter)?;
        listed.extend(page.items.into_iter().map(|resource| (resource.id, resource.title)));
        match page.next_cursor {
            Some(after) if listed.len() < MAX_LISTED => filter.after_id = Some(after),
            _ => break,
        }
    }
    listed.truncate(MAX_LISTED);
    listed.sort_by_key(|(_, title)| title.to_lowercase());
    Ok(listed)
}

const BUILDER_CSS: &str = "body{font:1rem/1.5 system-ui,sans-serif;margin:0;color:#1d1d1f}\
main{max-width:46rem;margin:0 auto;padding:1rem}\
fieldset{border:1px solid #ccc;border-radius:.5rem}fieldset label{display:block;padding:.3rem 0;min-height:1.5rem}\
label{font-weight:600}input,select,textarea,button{font:inherit;max-width:100%}\
input:not([type=radio]):not([type=checkbox]),select{display:block;width:100%;box-sizing:border-box;min-height:2.5rem;margin-top:.2rem}\
textarea{display:block;width:100%;box-sizing:border-box;font-family:ui-monospace,monospace;font-size:.85rem}\
button{margin:.4rem 0 1rem;min-height:2.75rem;padding:.4rem 1rem;border-radius:.5rem;border:2px solid #4b3a9c;background:#4b3a9c;color:#fff;cursor:pointer}\
button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f2a900;outline-offset:2px}\
.help{color:#524c66;font-weight:400}#preview{border:2px dashed #bbb;border-radius:.5rem;padding:.5rem;min-height:6rem}\
[hidden]{display:none}";

/// `GET /integrer.css` and `GET /integrer.js`.
pub async fn builder_css() -> Response {
    crate::embed::static_file("text/css; charset=utf-8", BUILDER_CSS)
}

pub async fn builder_js() -> Response {
    crate::embed::static_file("text/javascript; charset=utf-8", include_str!("../../widget/js/builder.js"))
}
