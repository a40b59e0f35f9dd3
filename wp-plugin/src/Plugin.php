<?php
/**
 * Wires the plugin into WordPress: installer, services, REST routes, admin screens, WP-CLI.
 *
 * @package Omnistock
 */

namespace Omnistock;

use Omnistock\Admin\Menu;
use Omnistock\Install\Installer;
use Omnistock\Inventory\Database;
use Omnistock\Inventory\DatabaseHolds;
use Omnistock\Inventory\HoldClaims;
use Omnistock\Inventory\HoldsBackendFactory;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Locations;
use Omnistock\Inventory\Tables;
use Omnistock\Rest\Routes;

defined( 'ABSPATH' ) || exit;

/**
 * The plugin's composition root. Everything else receives its dependencies.
 */
final class Plugin {

	public const PURGE_HOOK = 'omnistock_purge_expired_holds';

	/**
	 * Services of this request, built on first use.
	 *
	 * @var array<string, object>
	 */
	private static array $services = array();

	/**
	 * Hooks the plugin in, or only an admin notice when the extension is missing.
	 */
	public static function boot(): void {
		// Translations in the plugin's own languages/ (the header's Domain Path) as well as WordPress's
		// languages/plugins/: WordPress looks only in the latter unless a plugin names its folder.
		add_action( 'init', static fn() => load_plugin_textdomain( 'omnistock', false, dirname( plugin_basename( OMNISTOCK_PLUGIN_FILE ) ) . '/languages' ) );
		$problem = Requirements::problem();
		if ( null !== $problem ) {
			self::admin_notice( 'error', $problem );
			return;
		}

		add_action( 'plugins_loaded', array( Installer::class, 'maybe_upgrade' ), 5 );
		add_action( 'plugins_loaded', static fn() => Install\StaffUpgrade::once( self::staff() ), 6 );
		add_action( self::PURGE_HOOK, array( self::class, 'purge_expired_holds' ) );
		add_action( 'rest_api_init', static fn() => ( new Routes( self::inventory(), self::locations() ) )->register() );
		add_action( 'rest_api_init', static fn() => ( new Rest\StaffRoutes( self::staff() ) )->register() );
		self::register_connectors();
		if ( is_admin() ) {
			$holds_fallback = Requirements::shm_holds_fallback( HoldsBackendFactory::configured() );
			if ( null !== $holds_fallback ) {
				self::admin_notice( 'warning', $holds_fallback );
			}
			( new Menu( self::inventory(), self::locations(), new Admin\ConnectionsScreen( self::connections(), self::locations(), new Connectors\Matcher( self::database() ), new Connectors\Catalogue(), self::connection_health(), self::sync() ) ) )->register();
			( new Admin\PosScreen() )->register();
			( new Admin\StaffProfile( self::staff(), self::locations() ) )->register();
		}
		if ( defined( 'WP_CLI' ) && WP_CLI ) {
			Cli\Commands::register( self::inventory(), self::locations(), self::database(), self::staff(), self::connections(), self::connection_health(), self::sync() );
		}
		self::register_connectors_out();
		// The one place WooCommerce is wired in (src/WooCommerce/); loaded before or after us.
		$woocommerce = static function (): void {
			WooCommerce\Integration::register( self::inventory(), self::hold_claims(), self::locations(), self::database() );
			self::register_pos();
			self::register_pickups();
			self::register_shipments();
			// Availability per pickup store: the public route, the Store API's product, the product page.
			$availability = new Pickup\Availability( self::database(), new Tables( self::database()->wpdb ), self::inventory()->backend() );
			( new WooCommerce\ProductAvailability( $availability ) )->register();
			add_action( 'rest_api_init', static fn() => ( new Rest\AvailabilityRoutes( $availability ) )->register() );
		};
		if ( did_action( 'woocommerce_loaded' ) ) {
			$woocommerce();
		} else {
			add_action( 'woocommerce_loaded', $woocommerce );
		}
	}

	/**
	 * A notice on every admin screen for those who may activate plugins (what the extension lacks).
	 *
	 * @param string $kind error or warning.
	 * @param string $text What to say.
	 */
	private static function admin_notice( string $kind, string $text ): void {
		add_action(
			'admin_notices',
			static function () use ( $kind, $text ): void {
				if ( current_user_can( 'activate_plugins' ) ) {
					printf( '<div class="notice notice-%s"><p>%s</p></div>', esc_attr( $kind ), esc_html( $text ) );
				}
			}
		);
	}

	/**
	 * The POS terminal (quote, sales, customers) and its drawer (sessions, reports, receipts): they
	 * read and write WooCommerce's orders, so they come with WooCommerce.
	 */
	private static function register_pos(): void {
		$inventory = self::inventory();
		$locations = self::locations();
		$quote     = new Pos\Quote( $inventory, $locations, self::database() );
		$drawer    = new Pos\Drawer( self::database(), $locations );
		$staff     = self::staff();
		$receipts  = new Pos\Receipts( $locations, $staff );
		$sales     = new Pos\Sales( $inventory, $quote, self::database(), $drawer );
		$returns   = new Pos\Returns( $inventory, $locations, self::database(), $drawer, $staff );
		Pos\Terminal::register( $quote );
		$drawer->register();
		$receipts->register();
		$returns->register();
		add_action(
			'rest_api_init',
			static function () use ( $inventory, $locations, $quote, $drawer, $receipts, $sales, $staff, $returns ): void {
				( new Rest\PosRoutes( $locations, new Pos\Catalogue( $inventory ), $quote, $sales, new Pos\Customers(), $staff, $returns ) )->register();
				( new Rest\PosDrawerRoutes( $drawer, new Pos\Reports( $drawer, $returns ), $receipts, $staff ) )->register();
			}
		);
	}

	/**
	 * External POS connections: their webhooks' inbox (unmapped deliveries are processed again when
	 * a map changes) and their REST routes.
	 */
	private static function register_connectors(): void {
		add_action( 'omnistock_connection_mapped', static fn( $id ) => self::inbox()->remapped( (int) $id ) );
		// The deliveries kept for items just mapped are processed at this request's end, not at the next minute's tick.
		add_action( 'omnistock_connection_mapped', static fn( $id ) => do_action( 'omnistock_connector_kick', (int) $id ), 20 );
		add_action( 'rest_api_init', static fn() => ( new Rest\ConnectionRoutes( self::connections(), self::inbox(), self::connection_health() ) )->register() );
	}

	/**
	 * A pickup order's life (Pickup\Pickups), its e-mails, the curbside page and the desk's routes.
	 */
	private static function register_pickups(): void {
		$pickups = new Pickup\Pickups( self::inventory(), self::locations(), self::database() );
		$pickups->register();
		WooCommerce\PickupEmails::register();
		WooCommerce\CurbsidePage::register( $pickups );
		add_action( 'rest_api_init', static fn() => ( new Rest\PickupRoutes( $pickups, self::staff() ) )->register() );
	}

	/**
	 * Ship from store (Fulfilment\Shipments): the stores' fulfilment queue, its e-mail, the products'
	 * bin field and the queue's routes.
	 */
	private static function register_shipments(): void {
		$inventory = self::inventory();
		$tables    = new Tables( self::database()->wpdb );
		$shipments = new Fulfilment\Shipments( $inventory, self::locations(), self::database(), $tables, new \Omnistock\Inventory\Router( $inventory, self::locations() ), new WooCommerce\OrderDestination( new \Omnistock\Inventory\Postcodes( self::database(), $tables ) ) );
		$shipments->register();
		WooCommerce\ShipmentEmails::register();
		WooCommerce\ProductBin::register();
		add_action( 'rest_api_init', static fn() => ( new Rest\ShipmentRoutes( $shipments, self::staff() ) )->register() );
	}

	/**
	 * The outbox (every mapped cell's change, in its transaction), the sync runner (kicks, the
	 * recurring job), POST /connections/<id>/sync and the dead letters' routes, their admin notice,
	 * and `wp omnistock sync run`. The hooks build the services on first use.
	 */
	private static function register_connectors_out(): void {
		add_action( 'omnistock_before_commit', static fn( $cells, $changed = array() ) => self::outbox()->before_commit( $cells, $changed ), 10, 2 );
		add_action( 'omnistock_products_changed', static fn( $products ) => self::outbox()->products_changed( $products ) );
		add_action( 'shutdown', static fn() => isset( self::$services['outbox'] ) && self::outbox()->kick_written(), 5 );
		add_action( 'omnistock_connector_kick', static fn( $id ) => self::sync()->queue_kick( $id ) );
		add_action( 'shutdown', static fn() => isset( self::$services['sync'] ) && self::sync()->send_kicks(), 20 );
		add_action( Connectors\Sync::TICK_HOOK, static fn() => self::sync()->tick() );
		add_filter(
			'cron_schedules', // phpcs:ignore WordPress.WP.CronInterval.CronSchedulesInterval -- the outbox's fallback worker: once a minute, as Action Scheduler's.
			static function ( $schedules ) {
				$schedules                                   = is_array( $schedules ) ? $schedules : array();
				$schedules[ Connectors\Sync::CRON_SCHEDULE ] = array(
					'interval' => MINUTE_IN_SECONDS,
					// WooCommerce reads the schedules before init: translated only once translations may load.
					'display'  => did_action( 'init' ) ? __( 'Every minute (Omnistock connectors)', 'omnistock' ) : 'Every minute (Omnistock connectors)',
				);
				return $schedules;
			}
		);
		add_action( 'init', array( Connectors\Sync::class, 'schedule' ), 20 );
		add_action( 'rest_api_init', static fn() => ( new Rest\SyncRoutes( self::sync(), self::outbox(), self::connections() ) )->register() );
		if ( is_admin() ) {
			add_action( 'admin_init', static fn() => ( new Admin\DeadLetterNotice( self::outbox(), self::connections() ) )->register() );
		}
		if ( defined( 'WP_CLI' ) && WP_CLI ) {
			Cli\SyncCommand::register( self::sync(), self::connections() );
		}
	}

	/**
	 * The outbox of this request.
	 */
	public static function outbox(): Connectors\Outbox {
		if ( ! isset( self::$services['outbox'] ) ) {
			$db                       = self::database();
			$tables                   = new Tables( $db->wpdb );
			self::$services['outbox'] = new Connectors\Outbox( $db, $tables, self::inventory(), self::external_cells(), self::connections() );
		}
		return self::$services['outbox'];
	}

	/**
	 * The sync runner of this request: the inbox, the outbox and reconciliation of each connection.
	 */
	public static function sync(): Connectors\Sync {
		if ( ! isset( self::$services['sync'] ) ) {
			$db                     = self::database();
			$tables                 = new Tables( $db->wpdb );
			$reconciler             = new Connectors\Reconciler( $db, $tables, self::inventory(), self::connections(), self::external_cells(), new Connectors\CountReader(), static fn( int $c, int $p, int $l ) => self::outbox()->touch( $c, $p, $l ) );
			self::$services['sync'] = new Connectors\Sync(
				$db,
				$tables,
				self::connections(),
				self::outbox(),
				static fn( Connectors\Connection $c ): array => self::inbox()->process( $c ),
				static fn( Connectors\Connection $c ): array => $reconciler->reconcile( $c )
			);
		}
		return self::$services['sync'];
	}


	/**
	 * Activation: create or upgrade the tables, then give a shop with no location its default one.
	 */
	public static function activate(): void {
		if ( null !== Requirements::problem() ) {
			return; // The notice explains it; creating tables without the extension would change something.
		}
		Installer::install();
		if ( ! wp_next_scheduled( self::PURGE_HOOK ) ) {
			wp_schedule_event( time() + HOUR_IN_SECONDS, 'hourly', self::PURGE_HOOK );
		}
		( new Install\DefaultLocation( self::locations(), self::inventory(), new WooCommerce\ManagedStock( $GLOBALS['wpdb'] ) ) )->ensure();
	}

	/**
	 * Deactivation: stop the hourly purge and the pickup sweep.
	 */
	public static function deactivate(): void {
		wp_clear_scheduled_hook( self::PURGE_HOOK );
		wp_clear_scheduled_hook( Pickup\Pickups::SWEEP_HOOK );
		Connectors\Sync::unschedule();
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( Pickup\Pickups::SWEEP_HOOK );
		}
	}

	/**
	 * Deletes expired database-backend holds (shared memory reclaims its own).
	 */
	public static function purge_expired_holds(): void {
		$backend = self::inventory()->backend();
		if ( $backend instanceof DatabaseHolds ) {
			$backend->purge_expired();
		}
		self::hold_claims()->purge_expired();
	}

	/**
	 * The inventory service of this request.
	 */
	public static function inventory(): Inventory {
		if ( ! isset( self::$services['inventory'] ) ) {
			$db                          = self::database();
			$tables                      = new Tables( $db->wpdb );
			self::$services['inventory'] = new Inventory( $db, $tables, HoldsBackendFactory::from_settings( $db, $tables ) );
		}
		return self::$services['inventory'];
	}

	/**
	 * Who made each live checkout hold (the anonymous caps) in this request.
	 */
	public static function hold_claims(): HoldClaims {
		if ( ! isset( self::$services['hold_claims'] ) ) {
			self::$services['hold_claims'] = new HoldClaims( self::database(), new Tables( self::database()->wpdb ) );
		}
		return self::$services['hold_claims'];
	}

	/**
	 * The locations repository of this request.
	 */
	public static function locations(): Locations {
		if ( ! isset( self::$services['locations'] ) ) {
			self::$services['locations'] = new Locations( self::database(), new Tables( self::database()->wpdb ) );
		}
		return self::$services['locations'];
	}

	/**
	 * The external POS connections of this request.
	 */
	public static function connections(): Connectors\Connections {
		if ( ! isset( self::$services['connections'] ) ) {
			self::$services['connections'] = new Connectors\Connections( self::database(), new Tables( self::database()->wpdb ), new Connectors\Secrets() );
		}
		return self::$services['connections'];
	}

	/**
	 * What each connection's register last showed for its mapped cells, for this request.
	 */
	public static function external_cells(): Connectors\ExternalCells {
		if ( ! isset( self::$services['external_cells'] ) ) {
			self::$services['external_cells'] = new Connectors\ExternalCells( self::database(), new Tables( self::database()->wpdb ), self::inventory() );
		}
		return self::$services['external_cells'];
	}

	/**
	 * Who may act for which location at the POS, for this request.
	 */
	public static function staff(): Pos\Staff {
		if ( ! isset( self::$services['staff'] ) ) {
			self::$services['staff'] = new Pos\Staff( self::locations() );
		}
		return self::$services['staff'];
	}

	/**
	 * The connections' webhook inbox.
	 */
	public static function inbox(): Connectors\Inbox {
		if ( ! isset( self::$services['inbox'] ) ) {
			self::$services['inbox'] = new Connectors\Inbox( self::database(), new Tables( self::database()->wpdb ), self::connections(), self::external_cells() );
		}
		return self::$services['inbox'];
	}

	/**
	 * The connections' health.
	 */
	public static function connection_health(): Connectors\Health {
		if ( ! isset( self::$services['connection_health'] ) ) {
			self::$services['connection_health'] = new Connectors\Health( self::database(), new Tables( self::database()->wpdb ), self::connections(), self::inbox() );
		}
		return self::$services['connection_health'];
	}

	/**
	 * The one Database of this request (it tracks the open transaction).
	 */
	public static function database(): Database {
		if ( ! isset( self::$services['database'] ) ) {
			global $wpdb;
			self::$services['database'] = new Database( $wpdb );
		}
		return self::$services['database'];
	}

	/**
	 * Replaces the inventory service (tests switch the holds backend).
	 *
	 * @param Inventory|null $inventory The service, or null to build it from the settings again.
	 */
	public static function use_inventory( ?Inventory $inventory ): void {
		if ( null === $inventory ) {
			unset( self::$services['inventory'] );
		} else {
			self::$services['inventory'] = $inventory;
		}
		// The connectors record through the inventory service: built again on the new one.
		unset( self::$services['external_cells'], self::$services['connections'], self::$services['inbox'], self::$services['connection_health'] );
	}
}
