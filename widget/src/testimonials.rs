//! `<bao-testimonials>`: filmed testimonies as a carousel (WAI-ARIA APG pattern: a labelled
//! region, slides as groups "3 sur 8", previous/next buttons and a slide picker). It never
//! rotates and never plays by itself. Each slide shows a facade — the poster served by our server
//! and a real button — and only a click swaps in the video host's player, so nothing is asked of
//! the host before the visitor chooses to watch.

use bao_contract::{Provider, Testimonial, Video};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

#[cfg(feature = "csr")]
use crate::api;
use crate::card::absolute_url;
#[cfg(feature = "csr")]
use crate::i18n;
use crate::i18n::Strings;

#[cfg(feature = "csr")]
/// What the host set on the element.
pub struct TestimonialsConfig {
    pub api_base: String,
    pub network: String,
    pub tag: String,
    pub limit: u32,
    pub lang: String,
    /// The `<bao-testimonials>` element, which `bao:play` is dispatched on.
    pub host: Element,
    /// Called once the carousel is in the page, to show it in place of the server's first view.
    pub ready: Box<dyn Fn()>,
}

/// The carousel's stylesheet (stylers) and its scoping class, which `styles` takes out.
#[cfg(feature = "styles")]
pub fn style() -> (&'static str, &'static str) {
    stylers::style_str! {
        .carousel {
            box-sizing: border-box;
            border: 1px solid var(--_bao-border);
            border-radius: var(--bao-radius, 0.75rem);
            background: var(--bao-background, transparent);
            color: var(--bao-text, inherit);
            font: inherit;
            line-height: 1.45;
            text-align: start;
            overflow: hidden;
        }
        .heading {
            margin: 0;
            padding: 0.7rem 1rem 0.5rem;
            font-size: 1rem;
            font-weight: 700;
        }
        .media {
            position: relative;
            aspect-ratio: 16 / 9;
            background: #1f4e5f;
        }
        .play {
            all: unset;
            box-sizing: border-box;
            position: absolute;
            inset: 0;
            cursor: pointer;
            display: block;
        }
        .play img {
            width: 100%;
            height: 100%;
            object-fit: cover;
            display: block;
        }
        .icon {
            position: absolute;
            left: 50%;
            top: 50%;
            width: 4rem;
            height: 4rem;
            margin: -2rem 0 0 -2rem;
            border-radius: 50%;
            background: #1f1b2ecc;
            color: #ffffff;
            box-shadow: 0 0 0 2px #ffffff;
            font-size: 1.8rem;
            line-height: 4rem;
            text-align: center;
        }
        .play:focus-visible {
            outline: 4px solid var(--_bao-focus);
            outline-offset: -4px;
        }
        .play:hover .icon {
            box-shadow: 0 0 0 4px #ffffff;
        }
        .player {
            position: absolute;
            inset: 0;
            width: 100%;
            height: 100%;
            border: 0;
            background: #000000;
        }
        .player[hidden] {
            display: none;
        }
        .failed {
            box-sizing: border-box;
            margin: 0;
            padding: 1rem;
            display: flex;
            align-items: center;
            justify-content: center;
            text-align: center;
            color: #ffffff;
        }
        .text {
            padding: 0.8rem 1rem 0.4rem;
            display: flex;
            flex-direction: column;
            gap: 0.4rem;
        }
        .title {
            margin: 0;
            font-size: 1.15rem;
            line-height: 1.25;
        }
        .quote {
            margin: 0;
            padding-left: 0.8rem;
            border-left: 3px solid var(--_bao-accent);
            font-style: italic;
        }
        .summary {
            margin: 0;
        }
        .who {
            margin: 0;
            font-size: 0.88rem;
            color: var(--_bao-muted);
        }
        .licence {
            margin: 0;
            font-size: 0.82rem;
            color: var(--_bao-muted);
        }
        .transcript summary {
            cursor: pointer;
            font-weight: 600;
            min-height: max(24px, 1.5rem);
        }
        .transcript p {
            margin: 0.4rem 0;
        }
        a {
            color: var(--_bao-link);
        }
        .page {
            align-self: flex-start;
            min-height: max(24px, 1.5rem);
            padding: 0.15rem 0;
        }
        .controls[hidden] {
            display: none;
        }
        .controls {
            display: flex;
            align-items: center;
            justify-content: space-between;
            gap: 0.5rem;
            padding: 0.5rem 1rem 0.8rem;
        }
        .picker {
            display: flex;
            flex-wrap: wrap;
            justify-content: center;
            gap: 0.25rem;
        }
        button {
            font: inherit;
        }
        .step {
            min-width: 44px;
            min-height: 44px;
            border-radius: 50%;
            border: 2px solid var(--_bao-accent);
            background: var(--_bao-background);
            color: var(--_bao-accent);
            font-size: 1.3rem;
            cursor: pointer;
        }
        .dot {
            min-width: max(24px, 1.75rem);
            min-height: max(24px, 1.75rem);
            border-radius: 0.9rem;
            border: 2px solid var(--_bao-accent);
            background: var(--_bao-background);
            color: var(--_bao-accent);
            font-size: 0.8rem;
            cursor: pointer;
        }
        .dot[aria-selected="true"] {
            background: var(--_bao-accent);
            color: var(--_bao-on-accent);
        }
        .step:focus-visible, .dot:focus-visible, a:focus-visible, summary:focus-visible {
            outline: 3px solid var(--_bao-focus);
            outline-offset: 2px;
        }
        .empty {
            margin: 0;
            padding: 1rem;
        }
    }
}

/// What stylers does not take (`@keyframes`, `touch-action`), as plain CSS appended to the
/// stylesheet: a slide the visitor moved to comes in from the side, unless they asked for less
/// motion (two names for one animation: a slide is rebuilt in place, and only a new name restarts
/// it; the first slide does not move, nor when the wasm takes over from the server's); and
/// horizontal swipes left to us while vertical ones still scroll the page.
#[cfg(feature = "styles")]
pub const PLAIN_CSS: &str = ".slides{touch-action:pan-y}\
@media (prefers-reduced-motion:no-preference){\
.moved{animation:bao-slide-in .25s ease-out}.moved.again{animation-name:bao-slide-in-again}}\
@keyframes bao-slide-in{from{opacity:.3;transform:translateX(1.5rem)}to{opacity:1;transform:none}}\
@keyframes bao-slide-in-again{from{opacity:.3;transform:translateX(1.5rem)}to{opacity:1;transform:none}}";

#[cfg(feature = "csr")]
/// What the element shows while and after loading.
#[derive(Clone)]
enum Loaded {
    Waiting,
    Ready(Vec<Testimonial>),
    /// The server could not be reached or answered badly: the host's fallback stays.
    Failed,
}

#[cfg(feature = "csr")]
/// The element's view in the browser: the light-DOM fallback until the testimonies are there,
/// then the carousel, or the word that there is none. Until then, the server's first view stays
/// on screen (see `shadow::prepare`), and stays if they cannot be loaded.
pub fn testimonials(config: TestimonialsConfig) -> impl IntoView {
    let loaded = RwSignal::new(Loaded::Waiting);
    let TestimonialsConfig { api_base, network, tag, limit, lang, host, ready } = config;
    let t = i18n::strings(&lang);
    let fetch_base = api_base.clone();
    leptos::task::spawn_local(async move {
        let answer = api::testimonials(&fetch_base, &network, &tag, limit).await;
        let arrived = answer.is_ok();
        // The element may be gone by now: setting a disposed signal is then a no-op.
        if loaded.try_set(answer.map_or(Loaded::Failed, Loaded::Ready)).is_none() && arrived {
            // Shown once the carousel is built — the render effects, woken by the signal, run
            // before this task comes round again — and before the page paints.
            leptos::task::tick().await;
            ready();
        }
    });
    move || match loaded.get() {
        Loaded::Ready(items) => carousel_or_none(items, api_base.clone(), t, Some(host.clone())).into_any(),
        Loaded::Waiting | Loaded::Failed => view! { <slot></slot> }.into_any(),
    }
}

/// The carousel of `items`, or the word that there is no testimony to show.
pub fn carousel_or_none(
    items: Vec<Testimonial>,
    api_base: String,
    t: &'static Strings,
    host: Option<Element>,
) -> impl IntoView {
    if items.is_empty() {
        view! { <p class="empty carousel" lang=t.lang>{t.carousel.no_testimony}</p> }.into_any()
    } else {
        Carousel(CarouselProps { items, api_base, t, host }).into_any()
    }
}

/// The carousel. Only the current slide is in the page: one view rebuilt in place when the
/// visitor moves, which weighs far less in the bundle than a list of hidden slides.
/// `host`, the element, is none on the server.
#[component]
fn Carousel(
    items: Vec<Testimonial>,
    api_base: String,
    t: &'static Strings,
    host: Option<Element>,
) -> impl IntoView {
    let count = items.len();
    let titles: Vec<String> = items.iter().map(|item| item.resource.title.clone()).collect();
    let items = StoredValue::new(items);
    let steps = Steps {
        count,
        current: RwSignal::new(0),
        moves: RwSignal::new(0),
        playing: RwSignal::new(false),
        touch_start: StoredValue::new(None),
        picker: NodeRef::new(),
    };
    let Steps { current, picker, .. } = steps;
    let slide = move || {
        let index = current.get();
        let moves = steps.moves.get_untracked();
        items.with_value(|items| {
            slide(&items[index], Place { index, count, moves }, steps.playing, &api_base, &host, t)
        })
    };

    view! {
        <section class="carousel" part="carousel" aria-roledescription=t.carousel.role aria-label=t.carousel.testimonials lang=t.lang>
            <p class="heading" aria-hidden="true">{t.carousel.testimonials}</p>
            // Polite: the visitor moved, so the new slide may be read; nothing moves by itself.
            <div id="bao-slides" class="slides" aria-live="polite" on:pointerdown=move |event| steps.touched(&event)
                on:pointerup=move |event| steps.swiped(&event)>
                {slide}
            </div>
            // One testimony: nothing to step through.
            <div class="controls" hidden=count < 2>
                <button type="button" class="step" part="step" data-replay="previous" aria-controls="bao-slides" aria-label=t.carousel.previous
                    on:click=move |_| steps.go(current.get_untracked() + count - 1)>"‹"</button>
                // APG tabs: one tab stop, the arrows (and Home, End) move among the slides.
                <div class="picker" role="tablist" aria-label=t.carousel.choose node_ref=picker on:keydown=move |event| steps.key(&event)>
                    {titles.into_iter().enumerate().map(|(index, title)| view! {
                        <button type="button" class="dot" part="picker" role="tab" data-replay=format!("pick-{index}") aria-controls="bao-slides"
                            aria-label=t.named(&t.position(index, count), &title)
                            aria-selected=move || (current.get() == index).to_string()
                            tabindex=move || if current.get() == index { "0" } else { "-1" }
                            on:click=move |_| steps.go(index)>{index + 1}</button>
                    }).collect_view()}
                </div>
                <button type="button" class="step" part="step" data-replay="next" aria-controls="bao-slides" aria-label=t.carousel.next
                    on:click=move |_| steps.go(current.get_untracked() + 1)>"›"</button>
            </div>
        </section>
    }
}

/// The carousel's state, `Copy` so that each handler holds it, and how the visitor moves in it.
#[derive(Clone, Copy)]
struct Steps {
    count: usize,
    current: RwSignal<usize>,
    /// Moves so far: none, no animation (the first slide is the one the server painted); then
    /// their parity alternates the slide's animation, which restarts it.
    moves: RwSignal<usize>,
    /// Whether the current slide's player has been swapped in; moving puts the facade back,
    /// which stops the video.
    playing: RwSignal<bool>,
    touch_start: StoredValue<Option<(i32, i32)>>,
    picker: NodeRef<leptos::html::Div>,
}

impl Steps {
    fn go(self, index: usize) {
        self.playing.set(false);
        self.moves.update(|moves| *moves += 1);
        self.current.set(index % self.count);
    }

    fn touched(self, event: &leptos::ev::PointerEvent) {
        if event.pointer_type() == "touch" {
            self.touch_start.set_value(Some((event.client_x(), event.client_y())));
        }
    }

    /// A touch that slid sideways far enough steps to the next or previous slide.
    fn swiped(self, event: &leptos::ev::PointerEvent) {
        let Some((x, y)) = self.touch_start.get_value() else { return };
        self.touch_start.set_value(None);
        let (dx, dy) = (event.client_x() - x, event.client_y() - y);
        if dx.abs() >= bao_contract::elements::SWIPE_MIN_PX && dx.abs() > dy.abs() {
            let now = self.current.get_untracked();
            self.go(if dx < 0 { now + 1 } else { now + self.count - 1 });
        }
    }

    /// The keys of the picker (APG tabs), the focus following the slide chosen.
    fn key(self, event: &leptos::ev::KeyboardEvent) {
        let (now, count) = (self.current.get_untracked(), self.count);
        let to = match event.key().as_str() {
            "ArrowRight" | "ArrowDown" => now + 1,
            "ArrowLeft" | "ArrowUp" => now + count - 1,
            "Home" => 0,
            "End" => count - 1,
            _ => return,
        } % count;
        event.prevent_default();
        self.go(to);
        let dot = self
            .picker
            .get_untracked()
            .and_then(|picker| picker.query_selector(&format!("[data-replay=pick-{to}]")).ok().flatten());
        if let Some(dot) = dot.and_then(|dot| dot.dyn_into::<web_sys::HtmlElement>().ok()) {
            _ = dot.focus();
        }
    }
}

/// Where a slide stands: its index, among how many, and how many moves led there.
struct Place {
    index: usize,
    count: usize,
    moves: usize,
}

fn slide(
    item: &Testimonial,
    Place { index, count, moves }: Place,
    playing: RwSignal<bool>,
    api_base: &str,
    host: &Option<Element>,
    t: &'static Strings,
) -> impl IntoView + use<> {
    let Testimonial { resource, quote, video } = item.clone();
    let title = resource.title.clone();
    let canonical = format!("{api_base}r/{}", resource.id);
    let video_label = t.play(&title, &video.host_name);
    let poster = absolute_url(api_base, &video.poster_url);
    let transcript = video.transcript.clone();
    let duration = video.duration_seconds;
    let player_title = format!("{}{title}", t.carousel.video);
    // embed.js counts a display of what is on screen (README, « Ce qui est compté »).
    let shown = resource.id.clone();
    let play =
        play(playing, host.clone(), [resource.id.clone(), title.clone(), video.provider.as_str().to_owned()]);
    let api_base = api_base.to_owned();
    let spoken = resource.lang.clone();
    let media = move || {
        if playing.get() {
            player(&api_base, &video, &player_title, t, &spoken).into_any()
        } else {
            view! {
                <button type="button" class="play" part="play" data-replay="play" aria-label=video_label.clone()
                    on:click=play.clone()>
                    <img src=poster.clone() alt="" width=bao_contract::POSTER_WIDTH height=bao_contract::POSTER_HEIGHT decoding="async" />
                    <span class="icon" aria-hidden="true">"▶"</span>
                </button>
            }
            .into_any()
        }
    };

    view! {
        <div class=match moves { 0 => "slide", odd if odd % 2 == 1 => "slide moved", _ => "slide moved again" } part="slide" role="group" aria-roledescription=t.carousel.testimony
            aria-label=t.position(index, count) data-bao-shown=shown>
            <div class="media">{media}</div>
            {slide_text(resource, quote, transcript, duration, canonical, t)}
        </div>
    }
}

/// What the play button does: the player in its place, with the focus, and `bao:play` told to
/// the page with the testimony's id, title and provider (`detail`).
fn play(
    playing: RwSignal<bool>,
    host: Option<Element>,
    detail: [String; 3],
) -> impl Fn(leptos::ev::MouseEvent) + Clone {
    move |_| {
        playing.set(true);
        // The player replaces the button that had the focus: hand the focus to the player once
        // it is in the page, so keyboard and screen reader users land on what they asked for.
        let root = host.as_ref().and_then(Element::shadow_root);
        leptos::prelude::request_animation_frame(move || {
            let player = root.and_then(|root| root.query_selector(".player").ok().flatten());
            if let Some(player) = player.and_then(|p| p.dyn_into::<web_sys::HtmlElement>().ok()) {
                _ = player.focus();
            }
        });
        let [id, title, provider] = &detail;
        if let Some(host) = &host {
            crate::events::dispatch(
                host,
                "bao:play",
                &[("id", id), ("title", title), ("provider", provider)],
            );
        }
    }
}

/// A slide's words: its title, the words it quotes (else its summary), who speaks and for how
/// long, its licence and source, its transcript, and its page.
fn slide_text(
    resource: bao_contract::Resource,
    quote: Option<String>,
    transcript: Option<String>,
    duration: Option<u32>,
    canonical: String,
    t: &'static Strings,
) -> impl IntoView + use<> {
    let title = resource.title;
    let mut who: Vec<String> = resource.authors;
    who.push(resource.network.name);
    if let Some(seconds) = duration {
        who.push(match seconds {
            0..60 => format!("{seconds} s"),
            _ => format!("{} min {:02}", seconds / 60, seconds % 60),
        });
    }
    let licence = resource.licence;
    view! {
        <div class="text">
            <h2 class="title" part="title" lang=resource.lang.clone()>{title.clone()}</h2>
            {match quote {
                Some(quote) => view! { <blockquote class="quote" lang=resource.lang.clone()><p>{t.quoted(&quote)}</p></blockquote> }.into_any(),
                None => view! { <p class="summary" lang=resource.lang.clone()>{resource.summary}</p> }.into_any(),
            }}
            <p class="who">{who.join(" · ")}</p>
            <p class="licence">
                {t.licence}
                {match licence.url.clone() {
                    Some(url) => view! { <a href=url rel="license">{licence.label.clone()}</a> }.into_any(),
                    None => licence.label.clone().into_any(),
                }}
                {t.licence_caveats(&licence)}
                {resource.source_url.map(|url| view! { " — " <a href=url>{t.carousel.source}</a> })}
            </p>
            {transcript.map(|text| view! {
                <details class="transcript">
                    <summary>{t.carousel.transcript}</summary>
                    {text.split("\n\n").map(|paragraph| view! { <p>{paragraph.to_owned()}</p> }).collect_view()}
                </details>
            })}
            <a class="page" href=canonical aria-label=t.named(t.carousel.testimony_page, &title)>{t.carousel.testimony_page}</a>
        </div>
    }
}

/// Which captions track is on at first: the visitor's language, else the one spoken, else the first.
fn default_track(captions: &[bao_contract::Captions], visitor: &str, spoken: &str) -> Option<usize> {
    let primary = |tag: &str| tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    let position = |lang: &str| captions.iter().position(|track| primary(&track.lang) == primary(lang));
    position(visitor).or_else(|| position(spoken)).or((!captions.is_empty()).then_some(0))
}

/// The provider's player, or the browser's own for a file, its captions on in the visitor's
/// language (the page's), else in the testimony's own (`spoken`), else the first track.
fn player(
    api_base: &str,
    video: &Video,
    title: &str,
    t: &'static Strings,
    spoken: &str,
) -> impl IntoView + use<> {
    let visitor = t.lang;
    if video.provider == Provider::File {
        let shown = default_track(&video.captions, visitor, spoken);
        let tracks = video
            .captions
            .iter()
            .enumerate()
            .map(|(position, track)| {
                view! {
                    <track kind="captions" srclang=track.lang.clone() label=track.label.clone()
                        src=absolute_url(api_base, &track.url) default=Some(position) == shown />
                }
            })
            .collect_view();
        // The file is ours: if it cannot be loaded (the server is gone), say so instead of a dead player.
        let failed = RwSignal::new(false);
        view! {
            // Captions come from our server, another origin than the host page: CORS mode.
            <video class="player" src=absolute_url(api_base, &video.embed_url) controls autoplay
                crossorigin="anonymous" preload="metadata" title=title.to_owned()
                on:error=move |_| failed.set(true) hidden=move || failed.get()>{tracks}</video>
            <p class="player failed" role="alert" hidden=move || !failed.get()>{t.carousel.video_unavailable}</p>
        }
        .into_any()
    } else {
        // The visitor pressed play: starting at once is what they asked for. Vimeo is told not to
        // track them (dnt); YouTube already comes through youtube-nocookie.
        let separator = if video.embed_url.contains('?') { '&' } else { '?' };
        let dnt = if video.provider == Provider::Vimeo { "&dnt=1" } else { "" };
        let src = format!("{}{separator}autoplay=1{dnt}", video.embed_url);
        view! {
            <iframe class="player" src=src title=title.to_owned()
                allow="autoplay; fullscreen; picture-in-picture; encrypted-media"
                referrerpolicy="strict-origin-when-cross-origin"></iframe>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_in_the_visitors_language_first() {
        let track =
            |lang: &str| bao_contract::Captions { lang: lang.into(), label: lang.into(), url: String::new() };
        let tracks = [track("en"), track("fr")];
        assert_eq!(default_track(&tracks, "fr", "fr"), Some(1), "a French page gets French captions");
        assert_eq!(default_track(&tracks, "en-GB", "fr"), Some(0));
        assert_eq!(default_track(&tracks, "de", "fr"), Some(1), "else the language spoken");
        assert_eq!(default_track(&tracks, "de", "es"), Some(0));
        assert_eq!(default_track(&[], "fr", "fr"), None);
    }
}
