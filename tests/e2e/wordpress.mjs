// A real WordPress (Debian's, unpacked into target/wordpress by `cargo xtask test`) on MariaDB
// and `php -S`, installed afresh in a scratch folder, in French, for the browser tests: what a
// webmaster's site does with our oEmbed answers. Only what production hosts do not need is
// added: a must-use plugin that lets WordPress fetch oEmbed from this machine's loopback and ports.
import { execFile, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT, freePort } from "./support.mjs";

const run = promisify(execFile);
const DEBIAN_WORDPRESS = join(ROOT, "target/wordpress/usr/share/wordpress");

/** Whether the unpacked WordPress and MariaDB are here (`cargo xtask test` puts them). */
export function wordPressAvailable() {
  return existsSync(DEBIAN_WORDPRESS) && existsSync("/usr/sbin/mariadbd");
}

/** Polls `ready` every 100 ms for 30 s. */
async function until(ready, what) {
  for (let i = 0; i < 300; i++) {
    try {
      if (await ready()) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} not ready in 30 s`);
}

const php = (text) => `<?php\n${text}\n`;
/** `text` as a PHP string literal. */
const phpString = (text) => JSON.stringify(text).replaceAll("$", "\\$");

/**
 * Starts MariaDB and a WordPress installed afresh with `theme` (Twenty Twenty-One, classic, or
 * Twenty Twenty-Three, made of blocks), at `host` (a name the browser maps to 127.0.0.1, so that
 * the site counts as a partner's, not as a local one), our plugin active, installed from the
 * zip at `plugin`; returns `url`, `post(title, content, author)` which publishes a post as the editor's
 * save does (`kses` for an author, who has no unfiltered_html) and returns its address,
 * `evaluate(php)`, `useTheme(name)` and `stop()`.
 */
export async function startWordPress({ theme = "twentytwentyone", host = "127.0.0.1", plugin } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "bao-wordpress-"));
  const [dbPort, port] = [await freePort(), await freePort()];
  const data = join(dir, "db");
  const socket = join(dir, "db.sock");
  await run("mariadb-install-db", [`--datadir=${data}`, "--user=root", "--auth-root-authentication-method=normal", "--skip-test-db"]);
  const db = spawn("mariadbd", [
    `--datadir=${data}`, `--port=${dbPort}`, `--socket=${socket}`, "--bind-address=127.0.0.1", "--user=root",
    "--skip-grant-tables", "--skip-log-bin", `--pid-file=${join(dir, "db.pid")}`,
  ], { stdio: "ignore" });
  await until(() => existsSync(socket), "MariaDB");
  await until(async () => (await run("mariadb", [`--socket=${socket}`, "-e", "CREATE DATABASE IF NOT EXISTS wordpress"]), true), "its database");

  const site = join(dir, "site");
  // Debian links WordPress to the packages it depends on. getID3's stay dangling (pages do without
  // it); underscore, which the block editor's scripts need, is unpacked beside it: copied in.
  cpSync(DEBIAN_WORDPRESS, site, { recursive: true, verbatimSymlinks: true });
  for (const script of ["underscore.js", "underscore.min.js"]) {
    rmSync(join(site, "wp-includes/js", script));
    cpSync(join(DEBIAN_WORDPRESS, "wp-includes/js", script), join(site, "wp-includes/js", script), { dereference: true });
  }
  const url = `http://${host}:${port}`;
  writeFileSync(join(site, "wp-config.php"), php(`
define('DB_NAME', 'wordpress'); define('DB_USER', 'root'); define('DB_PASSWORD', '');
define('DB_HOST', '127.0.0.1:${dbPort}'); define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', '');
foreach (['AUTH_KEY','SECURE_AUTH_KEY','LOGGED_IN_KEY','NONCE_KEY','AUTH_SALT','SECURE_AUTH_SALT','LOGGED_IN_SALT','NONCE_SALT'] as $k) define($k, 'cle-de-test-' . $k);
$table_prefix = 'wp_';
define('WP_HOME', '${url}'); define('WP_SITEURL', '${url}'); define('WPLANG', 'fr_FR');
define('WP_CONTENT_DIR', __DIR__ . '/wp-content'); define('WP_CONTENT_URL', '${url}/wp-content');
define('DISABLE_WP_CRON', true); define('AUTOMATIC_UPDATER_DISABLED', true); define('WP_DEBUG', false);
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';`));
  // For the tests only: production hosts embed from public https addresses.
  mkdirSync(join(site, "wp-content/mu-plugins"), { recursive: true });
  writeFileSync(join(site, "wp-content/mu-plugins/tests-loopback.php"), php(`
add_filter('http_request_host_is_external', '__return_true');
add_filter('http_allowed_safe_ports', function ($ports) { return range(1, 65535); });`));
  // Our plugin (deploy/wordpress/), from the zip the builder offers, unpacked where WordPress's
  // « Téléverser une extension » puts it.
  const zip = join(dir, "multibao-wordpress.zip");
  writeFileSync(zip, Buffer.from(await (await fetch(plugin)).arrayBuffer()));
  await run("python3", ["-m", "zipfile", "-e", zip, join(site, "wp-content/plugins")]);
  writeFileSync(join(site, "install.php"), php(`
define('WP_INSTALLING', true);
require __DIR__ . '/wp-load.php';
require ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('Association des communs', 'admin', 'admin@asso.example', true, '', 'mot-de-passe-admin', 'fr_FR');
switch_theme('${theme}');
wp_insert_user(['user_login' => 'autrice', 'user_pass' => 'mot-de-passe-autrice', 'user_email' => 'autrice@asso.example', 'role' => 'author']);
activate_plugin('multibao/multibao.php');`));
  await run("php", [join(site, "install.php")], { cwd: site });
  const server = spawn("php", ["-S", `127.0.0.1:${port}`, "-t", site], { stdio: "ignore", cwd: site });
  await until(async () => (await fetch(`http://127.0.0.1:${port}/readme.html`)).ok, "WordPress");

  return {
    url,
    /** Runs PHP `code` inside the site (after `wp-load.php`); what it prints. */
    async evaluate(code) {
      return (await run("php", ["-r", `require '${site}/wp-load.php'; ${code}`], { cwd: site })).stdout;
    },
    /** Switches the site's theme (`twentytwentyone` or `twentytwentythree`). */
    async useTheme(name) {
      await this.evaluate(`switch_theme('${name}');`);
    },
    /** Publishes `content` as `author` (`autrice` or `admin`), as the editor's save does; its address. */
    async post(title, content, author = "autrice") {
      const script = join(dir, `post-${Date.now()}.php`);
      writeFileSync(script, php(`
require '${site}/wp-load.php';
$user = get_user_by('login', '${author}');
wp_set_current_user($user->ID);
kses_init();
$id = wp_insert_post(['post_title' => ${phpString(title)}, 'post_content' => ${phpString(content)}, 'post_status' => 'publish', 'post_author' => $user->ID]);
echo get_permalink($id);`));
      const { stdout } = await run("php", [script], { cwd: site });
      return stdout.trim();
    },
    async stop() {
      for (const child of [server, db]) {
        if (child.exitCode === null) {
          const exited = new Promise((resolve) => child.once("exit", resolve));
          child.kill("SIGTERM");
          await exited;
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
