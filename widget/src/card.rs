//! `<bao-card resource="…">`: one resource of the commons as a card that can unfold its full
//! text inline. Rendered by the server only (`render`): embed.js puts that HTML into the
//! element's shadow root; until it arrives, and whenever it cannot, the element's own light-DOM
//! content (a plain link in the snippet) stays visible through a `<slot>`.

#[cfg(feature = "ssr")]
use bao_contract::{Licence, Resource};
#[cfg(feature = "ssr")]
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::i18n::Strings;

/// The card's stylesheet (stylers) and its scoping class, which `styles` takes out.
#[cfg(feature = "styles")]
pub fn style() -> (&'static str, &'static str) {
    stylers::style_str! {
        .card {
            box-sizing: border-box;
            display: flex;
            flex-direction: column;
            min-height: var(--bao-card-height, 28rem);
            overflow: hidden;
            border: 1px solid var(--_bao-border);
            border-radius: var(--bao-radius, 0.75rem);
            background: var(--bao-background, transparent);
            color: var(--bao-text, inherit);
            font: inherit;
            line-height: 1.45;
            text-align: start;
        }
        .missing {
            margin: 0 0 0.3rem;
            font-style: italic;
        }
        .media {
            flex: none;
            height: 8.5rem;
            margin: 0;
            background: linear-gradient(135deg, #ece7fb, #d5ecea);
            display: flex;
            align-items: flex-end;
            padding: 0;
            position: relative;
        }
        .media img {
            width: 100%;
            height: 100%;
            object-fit: cover;
            display: block;
        }
        .media img[hidden] {
            display: none;
        }
        .content {
            flex: 1;
            display: flex;
            flex-direction: column;
            gap: 0.35rem;
            padding: 0.8rem 1rem 0.9rem;
            min-height: 0;
        }
        .meta {
            margin: 0;
            font-size: 0.82rem;
            font-weight: 600;
            color: var(--bao-accent-text, var(--_bao-accent));
            white-space: nowrap;
            overflow: hidden;
            text-overflow: ellipsis;
        }
        .title {
            margin: 0;
            font-size: 1.2rem;
            line-height: 1.25;
            font-weight: 700;
            color: inherit;
            overflow: hidden;
        }
        .summary {
            margin: 0;
            overflow: hidden;
        }
        .authors {
            margin: 0;
            font-size: 0.88rem;
            color: var(--_bao-muted);
            white-space: nowrap;
            overflow: hidden;
            text-overflow: ellipsis;
        }
        .tags {
            display: flex;
            flex-wrap: wrap;
            gap: 0.3rem;
            max-height: 1.6rem;
            overflow: hidden;
            margin: 0;
            padding: 0;
            list-style: none;
        }
        .tags li {
            font-size: 0.78rem;
            padding: 0.05rem 0.55rem;
            border-radius: 1rem;
            background: var(--_bao-tag);
        }
        .more {
            margin-top: auto;
            padding-top: 0.4rem;
        }
        .more[open] .closed {
            display: none;
        }
        .more:not([open]) .opened {
            display: none;
        }
        .actions {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: 0.5rem 0.9rem;
            padding-top: 0.4rem;
        }
        .read {
            display: inline-block;
            list-style: none;
            font-weight: 600;
            line-height: 1.3;
            padding: 0.5rem 0.9rem;
            border-radius: 0.5rem;
            border: 2px solid var(--_bao-accent);
            background: var(--_bao-accent);
            color: var(--_bao-on-accent);
            cursor: pointer;
        }
        .read::-webkit-details-marker {
            display: none;
        }
        .read:focus-visible {
            outline: 3px solid var(--_bao-focus);
            outline-offset: 2px;
        }
        a {
            color: var(--_bao-link);
        }
        a:focus-visible {
            outline: 3px solid var(--_bao-focus);
            outline-offset: 2px;
        }
        .licence {
            font-size: 0.82rem;
        }
        .actions a, .licence-note a {
            display: inline-flex;
            align-items: center;
            min-height: max(24px, 1.5rem);
        }
        .body {
            border-top: 1px solid var(--_bao-border);
            margin-top: 0.6rem;
            margin-bottom: 0.4rem;
            padding-top: 0.6rem;
            overflow-wrap: anywhere;
        }
        .reuse {
            font: inherit;
            font-size: 0.85rem;
            min-height: max(24px, 2rem);
            padding: 0.25rem 0.8rem;
            border-radius: 0.5rem;
            border: 1px solid var(--_bao-accent);
            background: var(--_bao-background);
            color: var(--_bao-accent);
            cursor: pointer;
        }
        .licence-note {
            font-size: 0.82rem;
            color: var(--_bao-muted);
        }
        @media (prefers-reduced-motion: no-preference) {
            .read {
                transition: background-color 0.15s;
            }
        }
    }
}

/// The card's styles that stylers does not take (vendor properties), and those of the
/// sanitised body (elements from `inner_html`), as plain CSS appended to the card's stylesheet.
/// On its own page, a card is not clamped: it is the whole resource.
#[cfg(feature = "styles")]
pub const BODY_CSS: &str = ".title{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2}\
.summary{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3}\
.body h1,.body h2{font-size:1.1rem;margin:1rem 0 .4rem}\
.body h3,.body h4{font-size:1rem;margin:.8rem 0 .3rem}\
.body img,.body iframe,.body video{max-width:100%;height:auto}\
.body iframe{aspect-ratio:16/9;width:100%;border:0}\
.body table{border-collapse:collapse;display:block;overflow-x:auto}\
.body td,.body th{border:1px solid var(--_bao-border);padding:.25rem .4rem;vertical-align:top}\
.body blockquote{margin:.6rem 0;padding-left:.8rem;border-left:3px solid var(--_bao-accent)}\
.own .title,.own .summary{display:block}.own .tags{max-height:none}";

/// Where a card is shown: embedded in another site (a partner's page, an iframe) or as the
/// resource's own page on our server, where it is the page's heading and opens unfolded.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Embedded,
    OwnPage,
}

/// No card to show — the id is mistyped (404) or its network withdrew the resource (410): a word
/// on why, a way into the library, and the host's own link below it (the `<slot>`).
#[cfg(feature = "ssr")]
pub fn missing_view(withdrawn: bool, api_base: &str, t: &'static Strings) -> impl IntoView + use<> {
    let why = if withdrawn { t.withdrawn } else { t.missing };
    view! {
        <p class="missing" part="missing" role="note">
            {why}" "<a href=api_base.to_owned()>{t.browse}</a>
        </p>
        <slot></slot>
    }
}

/// The card. "Lire la fiche" is a native disclosure (`<details>`): keyboard and screen readers
/// get its expanded state from the browser, and it needs no code of ours.
#[cfg(feature = "ssr")]
pub fn card_view(
    resource: Resource,
    api_base: &str,
    t: &'static Strings,
    placement: Placement,
) -> impl IntoView + use<> {
    let canonical = format!("{api_base}r/{}", resource.id);
    let image = resource.image.map(|image| (absolute_url(api_base, &image.url), image.alt));
    let title = resource.title;
    let meta = format!("{} · {}", t.kind(resource.kind), resource.network.name);
    let (read, fold) = (t.read(resource.kind), t.fold(resource.kind));
    let authors = (!resource.authors.is_empty()).then(|| format!("{}{}", t.by, resource.authors.join(", ")));
    let licence = resource.licence;
    // Without an address at its source, the resource is cited where the commons keeps it.
    let cited_at = resource.source_url.clone().unwrap_or_else(|| canonical.clone());
    let attribution = t.attribution(&title, &resource.authors, &resource.network.name, &cited_at, &licence);
    // Unfolding the fiche (`bao:open`), copying the attribution and hiding an image that cannot
    // be loaded are handled by embed.js, from these attributes: no wasm is needed for a card.
    let id = resource.id;
    // embed.js counts a display of what is on screen (README, « Ce qui est compté »).
    let shown = id.clone();
    let own_page = placement == Placement::OwnPage;
    let heading = if own_page {
        view! { <h1 class="title" part="title" lang=resource.lang.clone()>{title.clone()}</h1> }.into_any()
    } else {
        view! { <h2 class="title" part="title" lang=resource.lang.clone()>{title.clone()}</h2> }.into_any()
    };
    view! {
        <article class=if own_page { "card own" } else { "card" } part="card" lang=t.lang aria-label=title.clone() data-bao-shown=shown>
            <div class="media">
                // A hot-linked image that is gone leaves the tinted band, not a broken icon.
                {image.map(|(url, alt)| view! {
                    <img src=url alt=alt loading="lazy" decoding="async" width="640" height="272" />
                })}
            </div>
            <div class="content">
                <p class="meta">{meta}</p>
                {heading}
                <p class="summary" lang=resource.lang.clone()>{resource.summary}</p>
                {authors.map(|authors| view! { <p class="authors">{authors}</p> })}
                <ul class="tags" aria-label=t.topics>
                    {resource.tags.into_iter().map(|tag| view! { <li>{tag}</li> }).collect_view()}
                </ul>
                <details class="more" data-bao-open="" data-id=id data-title=title.clone() open=own_page>
                    <summary class="read" part="read">
                        <span class="closed">{read}</span>
                        <span class="opened">{fold}</span>
                    </summary>
                    <div class="body">
                        <div inner_html=absolute_media(api_base, &resource.body_html.unwrap_or_default())></div>
                        <p class="licence-note">{t.licence_sentence(&licence)}</p>
                        {resource.source_url.map(|url| view! {
                            <p class="licence-note"><a href=url>{t.original_source}</a></p>
                        })}
                        <p class="licence-note">{t.to_reuse(&attribution)}</p>
                        <button type="button" class="reuse" data-copy=attribution data-done=t.reuse_done
                            data-failed=t.reuse_failed>{t.reuse}</button>
                        // A long fiche read to its end folds from there too (embed.js).
                        <button type="button" class="reuse" data-fold="">{fold}</button>
                    </div>
                </details>
                <div class="actions">
                    <a href=canonical aria-label=t.named(t.page, &title)>{t.page}</a>
                    {licence_badge(licence, t)}
                </div>
            </div>
        </article>
    }
}

#[cfg(feature = "ssr")]
fn licence_badge(licence: Licence, t: &'static Strings) -> impl IntoView {
    let label = licence.label.clone();
    let sentence = t.licence_sentence(&licence);
    match licence.url {
        Some(url) => view! {
            <a class="licence" href=url rel="license" title=sentence>{label}</a>
        }
        .into_any(),
        None => view! { <span class="licence" title=sentence>{label}</span> }.into_any(),
    }
}

/// A body with its images' addresses on this server (`/api/v1/media/…`) made absolute: a card
/// is shown on other sites.
#[cfg(feature = "ssr")]
fn absolute_media(api_base: &str, body: &str) -> String {
    let ours = format!("src=\"{}/media/", bao_contract::API_PREFIX);
    body.replace(
        &ours,
        &format!("src=\"{}{}/media/", api_base.trim_end_matches('/'), bao_contract::API_PREFIX),
    )
}

/// Resolves a server-relative URL (`/demo/media/x.svg`) against the server's base.
#[cfg(any(feature = "ssr", feature = "testimonials"))]
pub(crate) fn absolute_url(api_base: &str, url: &str) -> String {
    if bao_contract::is_server_path(url) { format!("{api_base}{}", &url[1..]) } else { url.to_owned() }
}
