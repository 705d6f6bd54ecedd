/*
 * The « Fiche multiBàO » block of the block editor: a search-as-you-type picker of the server's
 * fiches (its /api/v1/search), then the fiche itself as visitors will see it. The block saves
 * only the fiche's id; WordPress renders it on the server (multibao.php), for every role.
 * Plain JavaScript on WordPress's own globals: no build step, nothing to install.
 */
(function (blocks, element, components, blockEditor, settings) {
	"use strict";
	var el = element.createElement;
	var server = settings.serveur;

	/** The fiches matching `words`, as the picker lists them: { value: id, label }. */
	function search(words, signal) {
		var url = server + "/api/v1/search?limit=8&q=" + encodeURIComponent(words);
		return fetch(url, { signal: signal, credentials: "omit" })
			.then(function (response) {
				if (!response.ok) throw new Error("HTTP " + response.status);
				return response.json();
			})
			.then(function (results) {
				return results.items.map(function (hit) {
					return { value: hit.resource.id, label: hit.resource.title + " — " + hit.resource.network.name };
				});
			});
	}

	// WordPress's ComboboxControl keeps only the options whose label holds the typed text as it is:
	// « cercle parole » would hide « Le cercle de parole ». The server's search is French-aware, so
	// its answers are listed as they come: a search field, then a button per fiche.
	function Edit(props) {
		var fiche = props.attributes.fiche;
		var blockProps = blockEditor.useBlockProps();
		var words = element.useState("");
		var found = element.useState([]);
		var message = element.useState("");
		var pending = element.useRef(null);
		var timer = element.useRef(0);

		function lookUp(typed) {
			words[1](typed);
			clearTimeout(timer.current);
			if (pending.current) pending.current.abort();
			if (!typed.trim()) {
				found[1]([]);
				message[1]("");
				return;
			}
			timer.current = setTimeout(function () {
				pending.current = new AbortController();
				search(typed, pending.current.signal).then(
					function (fiches) {
						found[1](fiches);
						message[1](fiches.length
							? fiches.length + (fiches.length > 1 ? " fiches trouvées" : " fiche trouvée") + " : choisissez-en une."
							: "Aucune fiche ne contient ces mots.");
					},
					function (error) {
						if (error.name !== "AbortError") message[1]("Le serveur multiBàO ne répond pas : réessayez plus tard.");
					}
				);
			}, 250);
		}

		function choose(option) {
			props.setAttributes({ fiche: option.value, titre: option.label });
			found[1]([]);
			words[1]("");
			message[1]("Fiche choisie : " + option.label + ".");
		}

		if (!server) {
			return el("div", blockProps, el(components.Notice, { status: "warning", isDismissible: false },
				"multiBàO : indiquez l'adresse du serveur dans Réglages → Général."));
		}
		var picker = el(components.TextControl, {
			type: "search",
			label: fiche ? "Choisir une autre fiche multiBàO" : "Chercher une fiche multiBàO",
			help: "Tapez quelques mots de son titre ou de son texte.",
			value: words[0],
			onChange: lookUp,
		});
		var results = el("ul", { className: "multibao-resultats", style: { listStyle: "none", margin: 0, padding: 0 } },
			found[0].map(function (option) {
				return el("li", { key: option.value, style: { margin: "0 0 4px" } },
					el(components.Button, { variant: "secondary", onClick: function () { choose(option); } }, option.label));
			}));
		var status = el("p", { role: "status", className: "multibao-etat" }, message[0]);
		var preview = fiche
			? el("iframe", {
				className: "multibao-apercu",
				src: server + "/embed/r/" + encodeURIComponent(fiche) + "?counting=off",
				title: "Fiche multiBàO : " + (props.attributes.titre || fiche),
				style: { width: "100%", height: "480px", border: 0, display: "block", pointerEvents: "none" },
			})
			: null;
		return el("div", blockProps, picker, status, results, preview);
	}

	blocks.registerBlockType("multibao/fiche", {
		apiVersion: 2,
		title: "Fiche multiBàO",
		description: "Une fiche du commun multiBàO, choisie par son titre.",
		category: "embed",
		icon: "media-text",
		keywords: ["multibao", "fiche", "commun"],
		attributes: { fiche: { type: "string", default: "" }, titre: { type: "string", default: "" } },
		supports: { html: false },
		edit: Edit,
		save: function () { return null; },
	});
})(window.wp.blocks, window.wp.element, window.wp.components, window.wp.blockEditor, window.multibaoBloc);
