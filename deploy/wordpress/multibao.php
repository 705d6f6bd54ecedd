<?php
/**
 * Plugin Name: multiBàO
 * Description: Montre dans vos articles les fiches, la recherche et les témoignages filmés du commun multiBàO, quel que soit votre rôle : le bloc « Fiche multiBàO » (choisie par son titre), ou les codes courts [multibao fiche="identifiant"], [multibao recherche], [multibao temoignages reseau="…"].
 * Version: 1.1.0
 * Requires at least: 6.1
 * License: MIT
 * Text Domain: multibao
 *
 * Un auteur ou un éditeur WordPress ne peut coller ni script ni iframe : WordPress les retire de
 * ses articles. Un bloc ou un code court, lui, est gardé ; ce greffon le rend côté serveur en
 * l'iframe de multiBàO, dont la hauteur s'ajuste à son contenu (/resize.js du serveur). L'adresse
 * du serveur se règle une fois dans Réglages → Général. Rien n'est demandé au serveur tant
 * qu'aucune page ne montre un bloc ou un code court et que personne ne cherche une fiche dans
 * l'éditeur ; aucun cookie.
 */

if (!defined('ABSPATH')) {
	exit;
}

/** What each element is: its address on the server, the attributes it takes, its height before it fits. */
function multibao_elements() {
	return array(
		'fiche' => array('path' => '/embed/r/', 'height' => 480, 'title' => 'Fiche multiBàO'),
		'recherche' => array('path' => '/embed/recherche', 'height' => 420, 'title' => 'Chercher dans multiBàO'),
		'temoignages' => array('path' => '/embed/temoignages', 'height' => 640, 'title' => 'Témoignages filmés'),
	);
}

/** The server's address as the site's administrator gave it (`https://…`, no trailing slash), or ''. */
function multibao_server() {
	$server = untrailingslashit((string) get_option('multibao_serveur', ''));
	return preg_match('~^https?://[^/\s?#]+(/[^\s?#]*)?$~', $server) ? $server : '';
}

/** A slug (an id, a network): lower-case letters, digits and dashes only, or ''. */
function multibao_slug($value) {
	$value = trim((string) $value);
	return preg_match('/^[a-z0-9][a-z0-9-]{0,199}$/', $value) ? $value : '';
}

/**
 * [multibao fiche="id"], [multibao recherche reseau="…" etiquette="…" type="…"],
 * [multibao temoignages reseau="…" etiquette="…" nombre="8"]; theme="light|dark|auto",
 * langue="en" and comptage="non" on each.
 */
function multibao_shortcode($attributes) {
	$attributes = is_array($attributes) ? $attributes : array();
	$elements = multibao_elements();
	// `[multibao recherche]`: a flag, which WordPress gives as a numbered attribute.
	$element = isset($attributes['fiche']) ? 'fiche' : '';
	foreach (array('recherche', 'temoignages') as $flag) {
		if (in_array($flag, $attributes, true)) {
			$element = $flag;
		}
	}
	$server = multibao_server();
	if ($element === '' || $server === '') {
		// Said to who writes, in the preview; visitors see nothing broken.
		if (!current_user_can('edit_posts')) {
			return '';
		}
		$why = $server === ''
			? "indiquez l'adresse du serveur multiBàO dans Réglages → Général"
			: 'écrivez fiche="identifiant", recherche ou temoignages';
		return '<p class="multibao-erreur"><strong>multiBàO :</strong> ' . esc_html($why) . '.</p>';
	}

	$query = array();
	$get = function ($name) use ($attributes) {
		return isset($attributes[$name]) ? (string) $attributes[$name] : '';
	};
	if ($element === 'fiche') {
		$id = multibao_slug($get('fiche'));
		if ($id === '') {
			return current_user_can('edit_posts') ? '<p class="multibao-erreur"><strong>multiBàO :</strong> identifiant de fiche invalide.</p>' : '';
		}
		$path = $elements['fiche']['path'] . $id;
	} else {
		$path = $elements[$element]['path'];
		foreach (array('reseau' => 'network', 'etiquette' => 'tag') as $french => $name) {
			$value = $french === 'reseau' ? multibao_slug($get($french)) : trim($get($french));
			if ($value !== '') {
				$query[$name] = $value;
			}
		}
		if ($element === 'recherche' && in_array($get('type'), array('fiche', 'temoignage', 'video'), true)) {
			$query['kind'] = $get('type');
		}
		if ($element === 'temoignages' && $get('nombre') !== '') {
			$query['limit'] = max(1, min(30, (int) $get('nombre')));
		}
	}
	if (in_array($get('theme'), array('light', 'dark', 'auto'), true)) {
		$query['theme'] = $get('theme');
	}
	if ($get('langue') === 'en') {
		$query['lang'] = 'en';
	}
	if ($get('comptage') === 'non') {
		$query['counting'] = 'off';
	}
	$src = $server . $path . ($query ? '?' . http_build_query($query, '', '&', PHP_QUERY_RFC3986) : '');

	wp_enqueue_script('multibao-resize', $server . '/resize.js', array(), null, true);
	return sprintf(
		'<iframe class="multibao" src="%s" title="%s" style="width:100%%;border:0;display:block" height="%d" loading="lazy" allow="clipboard-write" referrerpolicy="strict-origin-when-cross-origin"></iframe>',
		esc_url($src),
		esc_attr($elements[$element]['title']),
		(int) $elements[$element]['height']
	);
}
add_shortcode('multibao', 'multibao_shortcode');

/** The server's address, in Réglages → Général, for administrators only. */
function multibao_settings() {
	register_setting('general', 'multibao_serveur', array(
		'type' => 'string',
		'sanitize_callback' => function ($value) {
			$value = untrailingslashit(esc_url_raw(trim((string) $value), array('http', 'https')));
			return $value;
		},
		'default' => '',
	));
	add_settings_field('multibao_serveur', 'Serveur multiBàO', function () {
		printf(
			'<input name="multibao_serveur" id="multibao_serveur" type="url" class="regular-text code" value="%s" placeholder="https://…"><p class="description">%s</p>',
			esc_attr(get_option('multibao_serveur', '')),
			esc_html("L'adresse du serveur multiBàO dont vos articles montrent les ressources, par exemple celle de votre réseau.")
		);
	}, 'general', 'default', array('label_for' => 'multibao_serveur'));
}
add_action('admin_init', 'multibao_settings');

/**
 * The « Fiche multiBàO » block: picked by title in the editor (multibao-bloc.js), saved as its id
 * alone, rendered here like [multibao fiche="id"].
 */
function multibao_block() {
	wp_register_script(
		'multibao-bloc',
		plugins_url('multibao-bloc.js', __FILE__),
		array('wp-blocks', 'wp-element', 'wp-components', 'wp-block-editor'),
		'1.1.0',
		true
	);
	wp_add_inline_script('multibao-bloc', 'window.multibaoBloc = ' . wp_json_encode(array('serveur' => multibao_server())) . ';', 'before');
	register_block_type('multibao/fiche', array(
		'api_version' => 2,
		'editor_script' => 'multibao-bloc',
		'attributes' => array(
			'fiche' => array('type' => 'string', 'default' => ''),
			'titre' => array('type' => 'string', 'default' => ''),
		),
		'render_callback' => function ($attributes) {
			return multibao_shortcode(array('fiche' => isset($attributes['fiche']) ? $attributes['fiche'] : ''));
		},
	));
}
add_action('init', 'multibao_block');
