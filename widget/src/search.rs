//! `<bao-search>`: a search box over the commons, as the WAI-ARIA combobox pattern (an input
//! with a listbox of results), with facet chips to narrow, and the chosen resource opened inline
//! as a `<bao-card>` (or followed as a link when the host asks).

use std::time::Duration;

use bao_contract::elements::SearchAttributes;
use bao_contract::{FacetCount, SearchHit, SearchResults};
use leptos::html::Input;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, Element, ScrollIntoViewOptions, ScrollLogicalPosition};

use crate::api::{self, SearchQuery};

/// Wait after the last keystroke before asking the server: fewer requests on slow phones.
const DEBOUNCE: Duration = Duration::from_millis(160);
/// Facet values offered as chips, per facet.
const CHIPS_PER_FACET: usize = 4;

/// What the host set on the element.
pub struct SearchConfig {
    pub api_base: String,
    /// Fixed scope (`network`, `tag`, `kind` attributes): always applied, shown as a note.
    pub scope: Vec<(&'static str, String)>,
    pub placeholder: String,
    pub limit: u32,
    /// `open="link"`: a chosen result is followed to its page instead of opening inline.
    pub open_as_link: bool,
    pub lang: String,
    /// The `<bao-search>` element, which `bao:select` is dispatched on (none on the server).
    pub host: Option<Element>,
}

impl SearchConfig {
    /// The box the element's attributes describe, asking the server at `api_base`.
    pub fn new(attributes: SearchAttributes, api_base: String, host: Option<Element>) -> SearchConfig {
        let limit = attributes.limit();
        let SearchAttributes { network, tag, kind, placeholder, open, lang, .. } = attributes;
        let scope = [("network", network), ("tag", tag), ("kind", kind)]
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .collect();
        SearchConfig { api_base, scope, placeholder, limit, open_as_link: open == "link", lang, host }
    }
}

/// The search box's stylesheet (stylers) and its scoping class, which `styles` takes out.
#[cfg(feature = "styles")]
pub fn style() -> (&'static str, &'static str) {
    stylers::style_str! {
        .search {
            box-sizing: border-box;
            color: var(--bao-text, inherit);
            font: inherit;
            line-height: 1.4;
            text-align: start;
        }
        .label {
            display: block;
            font-weight: 600;
            margin-bottom: 0.3rem;
        }
        input {
            box-sizing: border-box;
            width: 100%;
            min-height: max(44px, 2.75rem);
            padding: 0.5rem 0.75rem;
            font: inherit;
            color: var(--_bao-text);
            background: var(--_bao-background);
            border: 2px solid var(--_bao-accent);
            border-radius: var(--bao-radius, 0.5rem);
        }
        input:focus-visible, button:focus-visible, .option.active {
            outline: 3px solid var(--_bao-focus);
            outline-offset: 2px;
        }
        .scope {
            margin: 0.3rem 0 0;
            font-size: 0.85rem;
            color: var(--_bao-muted);
        }
        .chips {
            display: flex;
            flex-wrap: wrap;
            gap: 0.35rem;
            margin: 0.5rem 0 0;
        }
        @media (max-width: 480px) {
            .chips {
                flex-wrap: nowrap;
                overflow-x: auto;
            }
            .chips button {
                flex: none;
            }
        }
        button {
            font: inherit;
            min-height: max(24px, 2rem);
            cursor: pointer;
            border-radius: 1rem;
            border: 1px solid var(--_bao-accent);
            background: var(--_bao-background);
            color: var(--_bao-accent);
            padding: 0.2rem 0.75rem;
            font-size: 0.85rem;
        }
        button[aria-pressed="true"] {
            background: var(--_bao-accent);
            color: var(--_bao-on-accent);
        }
        .listbox {
            list-style: none;
            margin: 0.5rem 0 0;
            padding: 0.25rem;
            border: 1px solid var(--_bao-border);
            border-radius: var(--bao-radius, 0.5rem);
            background: var(--_bao-background);
            /* On its own background: without a theme, the page's text colour is not its own. */
            color: var(--_bao-text);
            max-height: 26rem;
            overflow-y: auto;
        }
        .option {
            padding: 0.5rem 0.6rem;
            border-radius: 0.4rem;
            cursor: pointer;
            color: var(--_bao-text);
        }
        .option:hover, .option.active {
            background: var(--_bao-tag);
        }
        .more {
            font-weight: 600;
            color: var(--_bao-link);
            text-align: center;
        }
        .hit-title {
            display: block;
            font-weight: 700;
        }
        .hit-meta {
            display: block;
            font-size: 0.8rem;
            color: var(--_bao-muted);
        }
        .hit-snippet {
            display: block;
            font-size: 0.88rem;
        }
        mark {
            background: var(--_bao-mark);
            color: inherit;
        }
        .empty {
            margin: 0.6rem 0 0;
        }
        .back {
            margin: 0.6rem 0 0;
        }
        .sr {
            position: absolute;
            width: 1px;
            height: 1px;
            overflow: hidden;
            clip: rect(0 0 0 0);
            white-space: nowrap;
        }
        @media (prefers-reduced-motion: no-preference) {
            .option {
                transition: background-color 0.1s;
            }
        }
    }
}

/// A filter the visitor toggled from a chip: facet name, value, label.
#[derive(Debug, Clone, PartialEq)]
struct Chip {
    facet: &'static str,
    value: String,
    label: String,
}

#[derive(Default)]
struct State {
    results: Option<SearchResults>,
    failed: bool,
    active: Option<usize>,
    expanded: bool,
    chosen: Option<String>,
    chips: Vec<Chip>,
    scope_on: bool,
    /// Results asked for beyond the element's `limit` ("Afficher plus de résultats").
    extra: u32,
    /// The option to make active when the next answer comes (the first of the added ones).
    pending_active: Option<usize>,
}

/// Each change of the search box's state, one method a transition.
impl State {
    /// The box was emptied: no results, nothing shown.
    fn cleared(&mut self) {
        self.results = None;
        self.expanded = false;
    }

    /// The server answered: the list opens, nothing active yet.
    fn answered(&mut self, found: SearchResults) {
        self.failed = false;
        self.active = self.pending_active.take().filter(|&index| index < found.items.len());
        self.expanded = true;
        self.results = Some(found);
    }

    /// "Afficher plus de résultats": `page` more are asked for; the first of them becomes active.
    fn widened_list(&mut self, page: u32, shown: usize) {
        self.extra += page;
        self.pending_active = Some(shown);
    }

    /// The server could not be reached or answered badly.
    fn failed(&mut self) {
        self.failed = true;
        self.results = None;
    }

    /// ↓ or ↑ among `count` results, wrapping round.
    fn moved(&mut self, down: bool, count: usize) {
        self.expanded = true;
        self.active = Some(match (self.active, down) {
            (None, true) => 0,
            (None, false) => count - 1,
            (Some(i), true) => (i + 1) % count,
            (Some(i), false) => (i + count - 1) % count,
        });
    }

    /// The list closes (Escape), the results stay for when it opens again.
    fn collapsed(&mut self) {
        self.expanded = false;
        self.active = None;
    }

    /// A result is opened inline.
    fn opened(&mut self, id: String) {
        self.expanded = false;
        self.chosen = Some(id);
    }

    /// The visitor types: what was opened gives way to the results to come, a page at a time.
    fn typed(&mut self) {
        self.chosen = None;
        self.extra = 0;
        self.pending_active = None;
    }

    /// The host's fixed scope is set aside to search the whole library.
    fn widened(&mut self) {
        self.scope_on = false;
    }

    /// "Back to the results" from an opened result.
    fn returned(&mut self) {
        self.chosen = None;
        self.expanded = true;
    }

    /// A chip pressed or released.
    fn toggled(&mut self, chip: Chip) {
        match self.chips.iter().position(|c| c.facet == chip.facet && c.value == chip.value) {
            Some(index) => {
                self.chips.remove(index);
            }
            None => self.chips.push(chip),
        }
    }
}

/// `<bao-search>`: the box, its announcements, chips, results and the fiche opened from them.
#[component]
pub fn SearchBox(config: SearchConfig) -> impl IntoView {
    let SearchConfig { api_base, scope, placeholder, limit, open_as_link, lang, host } = config;
    let lang = if lang.is_empty() { "fr".to_owned() } else { lang };
    let t = crate::i18n::strings(&lang);
    let placeholder = if placeholder.is_empty() { t.search.placeholder.to_owned() } else { placeholder };
    // One signal for the rest of the state: one instantiation of the reactive machinery.
    let state = RwSignal::new(State { scope_on: true, ..State::default() });
    let scope_note = (!scope.is_empty()).then(|| {
        let described = scope.iter().map(|(_, value)| value.as_str()).collect::<Vec<_>>().join(", ");
        view! { <p class="scope" hidden=move || !state.with(|s| s.scope_on)>{t.search.scope} {described}</p> }
    });
    let search = Search {
        t,
        text: RwSignal::new(String::new()),
        state,
        input: NodeRef::new(),
        back: NodeRef::new(),
        timer: StoredValue::new_local(None),
        in_flight: StoredValue::new_local(None),
        base: StoredValue::new(api_base),
        scope: StoredValue::new(scope),
        host: StoredValue::new_local(host),
        limit,
        open_as_link,
    };
    let Search { text, input, .. } = search;
    view! {
        <div class="search" lang=lang>
            <label class="label" for="bao-q">{t.search.label}</label>
            <input id="bao-q" type="search" part="input" node_ref=input role="combobox" autocomplete="off"
                spellcheck="false" aria-autocomplete="list" aria-controls="bao-listbox"
                aria-expanded=move || (state.with(|s| s.expanded) && search.hits_len() > 0).to_string()
                aria-activedescendant=move || state.with(|s| s.active).map(|index| format!("bao-option-{index}"))
                placeholder=placeholder
                prop:value=move || text.get()
                on:input=move |event| search.typed(&event) on:keydown=move |event| search.key(&event) />
            {scope_note}
            <p class="sr" role="status" aria-live="polite">{move || search.announcement()}</p>
            {move || search.chips()}
            <ul id="bao-listbox" class="listbox" part="results" role="listbox" aria-label=t.search.results
                hidden=move || !state.with(|s| s.expanded) || search.hits_len() == 0 || state.with(|s| s.chosen.is_some())>
                {move || search.options()}
            </ul>
            {move || search.no_results()}
            {move || search.opened()}
        </div>
    }
}

/// What every part of the box shares — its words, settings, state and the elements it moves the
/// focus to — `Copy`, so that each handler holds it.
#[derive(Clone, Copy)]
struct Search {
    t: &'static crate::i18n::Strings,
    text: RwSignal<String>,
    state: RwSignal<State>,
    input: NodeRef<Input>,
    back: NodeRef<leptos::html::Button>,
    /// The pending debounce timer and the request in flight, replaced by each new search.
    timer: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    in_flight: StoredValue<Option<AbortController>, LocalStorage>,
    base: StoredValue<String>,
    /// The host's fixed scope (`network`, `tag`, `kind`).
    scope: StoredValue<Vec<(&'static str, String)>>,
    /// The `<bao-search>` element, which `bao:select` is dispatched on (none on the server).
    host: StoredValue<Option<Element>, LocalStorage>,
    limit: u32,
    open_as_link: bool,
}

/// What the visitor does, one method each.
impl Search {
    /// Asks the server now for what is typed, within the scope and the chips pressed.
    fn run(self) {
        let Search { state, scope, in_flight, limit, .. } = self;
        let q = self.text.get_untracked();
        if q.trim().is_empty() {
            state.update(State::cleared);
            return;
        }
        let mut filters: Vec<(&'static str, String)> =
            if state.with_untracked(|s| s.scope_on) { scope.get_value() } else { Vec::new() };
        filters.extend(
            state.with_untracked(|s| s.chips.clone()).into_iter().map(|chip| (chip.facet, chip.value)),
        );
        let controller = AbortController::new().ok();
        if let Some(previous) = in_flight.try_update_value(|slot| std::mem::replace(slot, controller.clone()))
        {
            previous.inspect(AbortController::abort);
        }
        let extra = state.with_untracked(|s| s.extra);
        let query = SearchQuery { q, filters, limit: (limit + extra).min(bao_contract::MAX_PAGE_LIMIT) };
        let base = self.base.get_value();
        leptos::task::spawn_local(async move {
            let signal = controller.as_ref().map(AbortController::signal);
            match api::search(&base, &query, signal.as_ref()).await {
                Ok(found) => {
                    _ = state.try_update(|s| s.answered(found));
                }
                // Aborted by a newer search: that one will answer.
                Err(api::FetchError::Aborted) => {}
                Err(_) => {
                    _ = state.try_update(State::failed);
                }
            }
        });
    }

    /// Asks after the visitor has paused typing.
    fn schedule(self) {
        let handle = set_timeout_with_handle(move || self.run(), DEBOUNCE).ok();
        if let Some(previous) = self.timer.try_update_value(|slot| std::mem::replace(slot, handle)).flatten()
        {
            previous.clear();
        }
    }

    fn hits_len(self) -> usize {
        self.state.with(|s| s.results.as_ref().map_or(0, |found| found.items.len()))
    }

    /// Options: the results, then "Afficher plus de résultats" when the server has more.
    fn option_count(self) -> usize {
        self.state.with_untracked(|s| {
            s.results.as_ref().map_or(0, |found| found.items.len() + usize::from(has_more(found)))
        })
    }

    /// The option at `index` chosen: more results asked, or the result opened inline, followed as
    /// a link, or left to the host page.
    fn choose(self, index: usize) {
        let state = self.state;
        let shown = state.with_untracked(|s| s.results.as_ref().map_or(0, |found| found.items.len()));
        if index == shown {
            state.update(|s| s.widened_list(self.limit, shown));
            self.run();
            return;
        }
        let Some(hit) = state.with_untracked(|s| s.results.as_ref()?.items.get(index).cloned()) else {
            return;
        };
        let url = format!("{}r/{}", self.base.get_value(), hit.resource.id);
        if !self.host.with_value(|host| host.as_ref().is_none_or(|host| dispatch_select(host, &hit, &url))) {
            return; // The host page handles the choice itself.
        }
        if self.open_as_link {
            if let Some(window) = web_sys::window() {
                _ = window.location().assign(&url);
            }
            return;
        }
        state.update(|s| s.opened(hit.resource.id));
        // Focus goes to what opened, so keyboard and screen reader users land on it, and the
        // fiche opens from its top, in view.
        let back = self.back;
        request_animation_frame(move || {
            if let Some(button) = back.get_untracked() {
                _ = button.focus();
                scroll_into_view(&button, ScrollLogicalPosition::Start);
            }
        });
    }

    /// The keys of the APG combobox: ↓ ↑ among the options, Enter, Escape.
    fn key(self, event: &leptos::ev::KeyboardEvent) {
        let state = self.state;
        let count = self.option_count();
        match event.key().as_str() {
            "ArrowDown" | "ArrowUp" if count > 0 => {
                event.prevent_default();
                let down = event.key() == "ArrowDown";
                state.update(|s| s.moved(down, count));
                request_animation_frame(move || self.active_in_view());
            }
            "Enter" => {
                event.prevent_default();
                match (state.with_untracked(|s| s.expanded), state.with_untracked(|s| s.active)) {
                    (true, Some(index)) => self.choose(index),
                    // No option active yet: the first one becomes it, for the next Enter.
                    _ if count > 0 => state.update(|s| s.moved(true, count)),
                    // Nothing found yet: search now rather than after the pause.
                    _ => self.run(),
                }
            }
            // APG combobox: Escape closes the list, and a second one empties the box — not both at
            // once, as a search input's own Escape would.
            "Escape" => {
                event.prevent_default();
                if state.with_untracked(|s| s.expanded) && count > 0 {
                    state.update(State::collapsed);
                } else {
                    self.text.set(String::new());
                    state.update(State::cleared);
                }
            }
            _ => {}
        }
    }

    /// The active result in view, as a listbox's own selection would be.
    fn active_in_view(self) {
        let active = self.state.with_untracked(|s| s.active);
        let root = self.input.get_untracked().map(|input| input.get_root_node());
        let option = root
            .and_then(|root| root.dyn_into::<web_sys::ShadowRoot>().ok())
            .zip(active)
            .and_then(|(root, index)| root.get_element_by_id(&format!("bao-option-{index}")));
        if let Some(option) = option {
            scroll_into_view(&option, ScrollLogicalPosition::Nearest);
        }
    }

    fn typed(self, event: &leptos::ev::Event) {
        self.text.set(event_target_value(event));
        self.state.update(State::typed);
        self.schedule();
    }

    fn toggle_chip(self, chip: Chip) {
        self.state.update(|s| s.toggled(chip));
        self.run();
    }
}

/// What the box shows, one method a part.
impl Search {
    /// What the live region says.
    fn announcement(self) -> String {
        let Search { state, t, .. } = self;
        if state.with(|s| s.failed) {
            return t.search.unavailable.to_owned();
        }
        match (
            state.with(|s| s.chosen.is_some()),
            state.with(|s| s.results.as_ref().map(|found| found.total)),
        ) {
            (true, _) => t.search.opened_below.to_owned(),
            (false, Some(total)) => t.result_count(total),
            (false, None) => String::new(),
        }
    }

    /// The chips that narrow the results: those pressed, and the best values of each facet the
    /// host did not fix.
    fn chips(self) -> Option<impl IntoView + use<>> {
        let Search { state, t, .. } = self;
        let found = state.with(|s| s.results.clone())?;
        let toggled = state.with(|s| s.chips.clone());
        let mut offered: Vec<Chip> = toggled.clone();
        let facets: [(&'static str, &Vec<FacetCount>); 2] =
            [("network", &found.facets.network), ("kind", &found.facets.kind)];
        for (facet, counts) in facets {
            // A facet already fixed by the host is not offered again.
            if self.scope.with_value(|scope| scope.iter().any(|(name, _)| *name == facet)) || counts.len() < 2
            {
                continue;
            }
            for count in counts.iter().take(CHIPS_PER_FACET) {
                if !offered.iter().any(|chip| chip.facet == facet && chip.value == count.value) {
                    offered.push(Chip {
                        facet,
                        value: count.value.clone(),
                        // Counts over only the best matches are not totals: no number then.
                        label: match found.facets.counted_over {
                            None => format!("{} ({})", chip_label(t, facet, count), t.number(count.count)),
                            Some(_) => chip_label(t, facet, count),
                        },
                    });
                }
            }
        }
        (!offered.is_empty()).then(|| {
            view! {
                <div class="chips" role="group" aria-label=t.search.narrow>
                    {offered.into_iter().map(|chip| {
                        let pressed = toggled.contains(&chip);
                        let label = chip.label.clone();
                        view! {
                            <button type="button" aria-pressed=pressed.to_string()
                                on:click=move |_| self.toggle_chip(chip.clone())>{label}</button>
                        }
                    }).collect_view()}
                </div>
            }
        })
    }

    /// The results as the listbox's options, and "Afficher plus de résultats".
    fn options(self) -> Option<impl IntoView + use<>> {
        let Search { state, t, .. } = self;
        let found = state.with(|s| s.results.clone())?;
        let more_at = has_more(&found).then_some(found.items.len());
        let items = found.items.into_iter().enumerate().map(move |(index, hit)| {
            let meta = format!("{} · {}", t.kind(hit.resource.kind), hit.resource.network.name);
            let snippet = snippet_view(&hit);
            view! {
                <li role="option" id=format!("bao-option-{index}") class="option" part="result"
                    class:active=move || state.with(|s| s.active) == Some(index)
                    aria-selected=move || (state.with(|s| s.active) == Some(index)).to_string()
                    on:click=move |_| self.choose(index)>
                    <span class="hit-title">{hit.resource.title}</span>
                    <span class="hit-meta">{meta}</span>
                    <span class="hit-snippet">{snippet}</span>
                </li>
            }
        });
        let more = more_at.map(|index| {
            view! {
                <li role="option" id=format!("bao-option-{index}") class="option more"
                    class:active=move || state.with(|s| s.active) == Some(index)
                    aria-selected=move || (state.with(|s| s.active) == Some(index)).to_string()
                    on:click=move |_| self.choose(index)>{t.search.more_results}</li>
            }
        });
        Some((items.collect_view(), more))
    }

    /// Why nothing is listed, and the ways out: the filters to remove, the whole library.
    fn no_results(self) -> Option<AnyView> {
        let Search { state, t, .. } = self;
        if state.with(|s| s.failed) {
            return Some(
                view! {
                    <div class="empty"><p>{t.search.unavailable_long}</p></div>
                }
                .into_any(),
            );
        }
        let empty = state.with(|s| s.results.as_ref().is_some_and(|found| found.total == 0));
        (empty && state.with(|s| s.chosen.is_none())).then(|| {
            let q = self.text.get_untracked();
            let toggled = state.with(|s| s.chips.clone());
            view! {
                <div class="empty">
                    <p>{t.nothing_matches(&q)}</p>
                    {toggled.into_iter().map(|chip| {
                        let label = t.remove_filter(&chip.label);
                        view! { <button type="button" on:click=move |_| self.toggle_chip(chip.clone())>{label}</button> }
                    }).collect_view()}
                    {(self.scope.with_value(|scope| !scope.is_empty()) && state.with(|s| s.scope_on)).then(|| view! {
                        <button type="button" on:click=move |_| { state.update(State::widened); self.run(); }>
                            {t.search.whole_library}
                        </button>
                    })}
                </div>
            }
            .into_any()
        })
    }

    /// The result opened inline, as a card, below the way back to the results.
    fn opened(self) -> Option<impl IntoView + use<>> {
        let Search { state, t, back, input, .. } = self;
        state.with(|s| s.chosen.clone()).map(|id| {
            view! {
                <div class="chosen">
                    <button type="button" class="back" node_ref=back on:click=move |_| {
                        state.update(State::returned);
                        if let Some(input) = input.get_untracked() {
                            _ = input.focus();
                        }
                    }>{t.search.back_to_results}</button>
                    <bao-card resource=id></bao-card>
                </div>
            }
        })
    }
}

/// Scrolls the page (and the list) just enough to show `element` at `block`, the way the host
/// page scrolls.
fn scroll_into_view(element: &Element, block: ScrollLogicalPosition) {
    let options = ScrollIntoViewOptions::new();
    options.set_block(block);
    element.scroll_into_view_with_scroll_into_view_options(&options);
}

/// Whether the server has results beyond those shown (and the API would give them).
fn has_more(found: &SearchResults) -> bool {
    (found.items.len() as u64) < found.total && found.items.len() < bao_contract::MAX_PAGE_LIMIT as usize
}

/// What a facet chip says: kinds in the element's language, network names as they are.
fn chip_label(t: &'static crate::i18n::Strings, facet: &str, count: &FacetCount) -> String {
    match (facet, bao_contract::Kind::parse(&count.value)) {
        ("kind", Some(kind)) => t.kind(kind).to_owned(),
        _ => count.label.clone(),
    }
}

/// Tells the host page which resource was chosen: `bao:select`, bubbling out of the shadow root.
/// Returns false when the host called `preventDefault()` to handle the choice itself.
fn dispatch_select(host: &Element, hit: &SearchHit, url: &str) -> bool {
    crate::events::dispatch(
        host,
        "bao:select",
        &[
            ("id", hit.resource.id.as_str()),
            ("title", hit.resource.title.as_str()),
            ("kind", hit.resource.kind.as_str()),
            ("network", hit.resource.network.id.as_str()),
            ("url", url),
        ],
    )
}

/// The snippet as text and `<mark>` nodes: no server string is ever parsed as HTML here.
fn snippet_view(hit: &SearchHit) -> impl IntoView + use<> {
    hit.snippet_runs()
        .into_iter()
        .map(|(marked, text)| {
            let text = text.to_owned();
            if marked { view! { <mark>{text}</mark> }.into_any() } else { text.into_any() }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_wrap_round_and_escape_keeps_the_results() {
        let mut state = State::default();
        state.answered(SearchResults {
            total: 3,
            items: vec![],
            facets: Default::default(),
            next_cursor: None,
        });
        state.moved(false, 3);
        assert_eq!(state.active, Some(2), "↑ from nothing goes to the last");
        state.moved(true, 3);
        assert_eq!(state.active, Some(0), "↓ from the last wraps to the first");
        state.collapsed();
        assert!(!state.expanded && state.active.is_none() && state.results.is_some());
        state.opened("a".into());
        state.returned();
        assert!(state.expanded && state.chosen.is_none());
    }

    #[test]
    fn a_chip_pressed_twice_is_released() {
        let chip = || Chip { facet: "network", value: "n".into(), label: "N".into() };
        let mut state = State::default();
        state.toggled(chip());
        assert_eq!(state.chips.len(), 1);
        state.toggled(chip());
        assert!(state.chips.is_empty());
    }
}
