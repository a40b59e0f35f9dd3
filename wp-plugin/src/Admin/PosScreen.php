<?php
/**
 * The POS terminal: a full-screen wp-admin page that mounts the app built from assets/pos/src/.
 *
 * @package Omnistock
 */

namespace Omnistock\Admin;

defined( 'ABSPATH' ) || exit;

/**
 * Menu "POS" for users with omnistock_use_pos; the script and its dependencies come from
 * build/index.asset.php (made by `npm run build` in wp-plugin/, never committed).
 */
final class PosScreen {

	public const SLUG       = 'omnistock-pos';
	public const CAPABILITY = \Omnistock\Capabilities::USE_POS;
	public const DISCOUNT   = \Omnistock\Capabilities::POS_DISCOUNT;
	private const HANDLE    = 'omnistock-pos';

	/**
	 * Hooks in.
	 */
	public function register(): void {
		add_action( 'admin_menu', array( $this, 'add_menu' ) );
		add_action( 'admin_enqueue_scripts', array( $this, 'enqueue' ) );
		// WooCommerce sends users without edit_posts (a cashier) from wp-admin to My Account.
		add_filter( 'woocommerce_prevent_admin_access', array( $this, 'let_cashiers_in' ) );
	}

	/**
	 * Lets users who may use the POS into wp-admin.
	 *
	 * @param bool $prevent Whether WooCommerce keeps the user out.
	 */
	public function let_cashiers_in( $prevent ): bool {
		return (bool) $prevent && ! current_user_can( self::CAPABILITY );
	}

	/**
	 * The top-level "POS" menu entry.
	 */
	public function add_menu(): void {
		add_menu_page( __( 'POS', 'omnistock' ), __( 'POS', 'omnistock' ), self::CAPABILITY, self::SLUG, array( $this, 'render' ), 'dashicons-cart', 57 );
	}

	/**
	 * Loads the app on the POS page only.
	 *
	 * @param string $hook_suffix The admin page's hook.
	 */
	public function enqueue( string $hook_suffix ): void {
		if ( 'toplevel_page_' . self::SLUG !== $hook_suffix || ! current_user_can( self::CAPABILITY ) ) {
			return;
		}
		$build = dirname( OMNISTOCK_PLUGIN_FILE ) . '/build';
		if ( ! is_readable( $build . '/index.asset.php' ) ) {
			return; // render() explains how to build it.
		}
		$asset = require $build . '/index.asset.php';
		$url   = plugins_url( 'build/', OMNISTOCK_PLUGIN_FILE );
		wp_enqueue_script( self::HANDLE, $url . 'index.js', $asset['dependencies'], $asset['version'], true );
		// The app's texts: languages/omnistock-<locale>-<md5 of "build/index.js">.json here, else WordPress's languages/plugins/.
		wp_set_script_translations( self::HANDLE, 'omnistock', dirname( OMNISTOCK_PLUGIN_FILE ) . '/languages' );
		if ( is_readable( $build . '/index.css' ) ) {
			wp_enqueue_style( self::HANDLE, $url . 'index.css', array( 'wp-components' ), $asset['version'] );
		} else {
			wp_enqueue_style( 'wp-components' );
		}
		wp_add_inline_script( self::HANDLE, 'window.omnistockPos = ' . wp_json_encode( $this->settings() ) . ';', 'before' );
	}

	/**
	 * What the app needs from the server at start.
	 *
	 * @return array<string, mixed>
	 */
	private function settings(): array {
		$user     = wp_get_current_user();
		$currency = function_exists( 'get_woocommerce_currency' ) ? get_woocommerce_currency() : 'EUR';
		// The REST root and the wp_rest nonce reach wp.apiFetch through core's own inline script
		// (createRootURLMiddleware, createNonceMiddleware), which the wp-api-fetch dependency brings.
		return array(
			'canDiscount'      => current_user_can( self::DISCOUNT ),
			'canOverride'      => current_user_can( \Omnistock\Capabilities::POS_OVERRIDE ),
			'pricesIncludeTax' => function_exists( 'wc_prices_include_tax' ) && wc_prices_include_tax(),
			'user'             => array(
				'id'   => $user->ID,
				'name' => $user->display_name,
			),
			'currency'         => array(
				'code'      => $currency,
				'symbol'    => function_exists( 'get_woocommerce_currency_symbol' ) ? html_entity_decode( get_woocommerce_currency_symbol( $currency ), ENT_QUOTES, 'UTF-8' ) : '€',
				'decimals'  => function_exists( 'wc_get_price_decimals' ) ? wc_get_price_decimals() : 2,
				'decimal'   => function_exists( 'wc_get_price_decimal_separator' ) ? wc_get_price_decimal_separator() : '.',
				'thousands' => function_exists( 'wc_get_price_thousand_separator' ) ? wc_get_price_thousand_separator() : ',',
				'position'  => get_option( 'woocommerce_currency_pos', 'left' ),
			),
			'adminUrl'         => admin_url(),
		);
	}

	/**
	 * The mount point, and the CSS that hides wp-admin's chrome (full screen).
	 */
	public function render(): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to use the POS terminal.', 'omnistock' ), '', array( 'response' => 403 ) );
		}
		echo '<style>#wpadminbar,#adminmenumain,#wpfooter,.notice,.update-nag{display:none!important}'
			. 'html.wp-toolbar{padding-top:0!important}#wpcontent,#wpbody-content{margin-left:0!important;padding:0!important}'
			. '#omnistock-pos{position:fixed;inset:0;z-index:100000;background:#f0f0f1}</style>';
		if ( ! wp_script_is( self::HANDLE, 'enqueued' ) ) {
			echo '<div id="omnistock-pos"><div class="wrap"><h1>' . esc_html__( 'POS', 'omnistock' ) . '</h1><p>'
				. esc_html__( 'The terminal is not built: run `npm install && npm run build` in the plugin folder (bin/demo does it).', 'omnistock' )
				. '</p></div></div>';
			return;
		}
		echo '<div id="omnistock-pos" class="omnistock-pos"></div>';
	}
}
