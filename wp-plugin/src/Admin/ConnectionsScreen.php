<?php
/**
 * Connections screen: external POS systems (Square, Shopify POS, Clover, Standard Webhooks senders), their maps.
 *
 * @package Omnistock
 */

namespace Omnistock\Admin;

use Omnistock\Capabilities;
use Omnistock\Connectors\Catalogue;
use Omnistock\Connectors\Connections;
use Omnistock\Connectors\Health;
use Omnistock\Connectors\Matcher;
use Omnistock\Connectors\Providers;
use Omnistock\Connectors\Secrets;
use Omnistock\Connectors\Sync;
use Omnistock\Inventory\Locations;

defined( 'ABSPATH' ) || exit;

/**
 * Lists the connections, adds one (secrets are written once and never shown again), maps the
 * provider's locations to ours and its items to our products (suggested by SKU, confirmed by the owner).
 */
final class ConnectionsScreen {

	public const SLUG      = 'omnistock-connections';
	public const ADD       = 'omnistock_connection_add';
	public const LOCATIONS = 'omnistock_connection_locations';
	public const ITEMS     = 'omnistock_connection_items';
	public const DELETE    = 'omnistock_connection_delete';
	public const SYNC      = 'omnistock_connection_sync';
	public const RECONCILE = 'omnistock_connection_reconcile';

	/**
	 * Takes its dependencies.
	 *
	 * @param Connections $connections The connections.
	 * @param Locations   $locations   Our locations.
	 * @param Matcher     $matcher     SKU suggestions.
	 * @param Catalogue   $catalogue   Reads the provider's catalogue.
	 * @param Health|null $health      The connections' health (shown on a connection's page).
	 * @param Sync|null   $sync        The sync runner ("Sync now", "Reconcile now").
	 */
	public function __construct( private readonly Connections $connections, private readonly Locations $locations, private readonly Matcher $matcher, private readonly Catalogue $catalogue, private readonly ?Health $health = null, private readonly ?Sync $sync = null ) {
	}

	/**
	 * Hooks the form handlers in.
	 */
	public function register(): void {
		add_action( 'admin_post_' . self::ADD, array( $this, 'handle_add' ) );
		add_action( 'admin_post_' . self::LOCATIONS, array( $this, 'handle_locations' ) );
		add_action( 'admin_post_' . self::ITEMS, array( $this, 'handle_items' ) );
		add_action( 'admin_post_' . self::DELETE, array( $this, 'handle_delete' ) );
		add_action( 'admin_post_' . self::SYNC, array( $this, 'handle_sync' ) );
		add_action( 'admin_post_' . self::RECONCILE, array( $this, 'handle_reconcile' ) );
	}

	/**
	 * The hooks URL a provider is told to post to.
	 *
	 * @param int $id Connection id.
	 */
	public static function webhook_url( int $id ): string {
		return rest_url( 'omnistock/v1/hooks/' . $id );
	}

	/**
	 * Draws the screen: one connection's maps when ?connection= names one, else the list and the add form.
	 */
	public function render(): void {
		if ( ! current_user_can( Capabilities::MANAGE ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to manage connections.', 'omnistock' ), '', array( 'response' => 403 ) );
		}
		echo '<div class="wrap omnistock-connections"><h1>' . esc_html__( 'Connections', 'omnistock' ) . '</h1>';
		Form::notice();
		if ( ! Secrets::from_constant() ) {
			echo '<div class="notice notice-warning inline"><p>' . esc_html__( 'Connection secrets are encrypted with a key derived from your WordPress salts: changing the salts makes them unreadable. For a key of its own, add this line to wp-config.php (a new random key is shown each time this page loads) and enter the connections\' secrets again:', 'omnistock' ) . '</p>';
			echo '<p><code>define( \'' . esc_html( Secrets::CONSTANT ) . '\', \'' . esc_html( bin2hex( random_bytes( 32 ) ) ) . '\' );</code></p></div>';
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- choosing what to show.
		$id = isset( $_GET['connection'] ) ? absint( $_GET['connection'] ) : 0;
		if ( $id > 0 ) {
			$this->render_connection( $id );
		} else {
			$this->render_list();
		}
		echo '</div>';
	}

	/**
	 * The list and the add form.
	 */
	private function render_list(): void {
		echo '<table class="widefat striped"><thead><tr>';
		foreach ( array( __( 'ID', 'omnistock' ), __( 'Name', 'omnistock' ), __( 'Provider', 'omnistock' ), __( 'Webhook URL (give it to the provider)', 'omnistock' ), __( 'Last webhook', 'omnistock' ), __( 'Last push', 'omnistock' ), '' ) as $heading ) {
			echo '<th>' . esc_html( $heading ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		$all = $this->connections->all();
		if ( ! $all ) {
			echo '<tr><td colspan="7">' . esc_html__( 'No connections yet.', 'omnistock' ) . '</td></tr>';
		}
		foreach ( $all as $c ) {
			printf(
				'<tr><td>%d</td><td>%s</td><td>%s</td><td><code>%s</code></td><td>%s</td><td>%s</td><td><a href="%s">%s</a></td></tr>',
				(int) $c['id'],
				esc_html( $c['name'] ),
				esc_html( $c['provider'] ),
				esc_html( self::webhook_url( $c['id'] ) ),
				esc_html( self::when( $c['last_webhook_at'] ) ),
				esc_html( self::when( $c['last_push_at'] ) ),
				esc_url( self::url( array( 'connection' => $c['id'] ) ) ),
				esc_html__( 'Map locations and items', 'omnistock' )
			);
		}
		echo '</tbody></table>';

		echo '<h2>' . esc_html__( 'Add a connection', 'omnistock' ) . '</h2>';
		echo '<form id="omnistock-connection-add" method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" autocomplete="off">';
		wp_nonce_field( self::ADD );
		echo '<input type="hidden" name="action" value="' . esc_attr( self::ADD ) . '"><table class="form-table">';
		echo '<tr><th><label for="omnistock-provider">' . esc_html__( 'Provider', 'omnistock' ) . '</label></th><td><select id="omnistock-provider" name="provider">';
		foreach ( array(
			'square'   => __( 'Square', 'omnistock' ),
			'shopify'  => __( 'Shopify POS', 'omnistock' ),
			'clover'   => __( 'Clover', 'omnistock' ),
			'standard' => __( 'Standard Webhooks (Omnistock\'s stock API)', 'omnistock' ),
		) as $value => $label ) {
			printf( '<option value="%s">%s</option>', esc_attr( $value ), esc_html( $label ) );
		}
		echo '</select></td></tr>';
		foreach ( array(
			'name'         => array( __( 'Name', 'omnistock' ), 'text', '' ),
			'api_base'     => array( __( 'API base URL', 'omnistock' ), 'url', __( 'Square: https://connect.squareup.com; Shopify: https://<shop>.myshopify.com; Clover: https://api.clover.com', 'omnistock' ) ),
			'access_token' => array( __( 'Access token', 'omnistock' ), 'password', '' ),
			'merchant_id'  => array( __( 'Merchant id (Clover)', 'omnistock' ), 'text', '' ),
			'secret'       => array( __( 'Webhook signature secret', 'omnistock' ), 'password', __( 'Stored encrypted; never shown again.', 'omnistock' ) ),
		) as $field => list( $label, $type, $help ) ) {
			printf(
				'<tr><th><label for="omnistock-c-%1$s">%2$s</label></th><td><input id="omnistock-c-%1$s" name="%1$s" type="%3$s" class="regular-text" %4$s> <span class="description">%5$s</span></td></tr>',
				esc_attr( $field ),
				esc_html( $label ),
				esc_attr( $type ),
				in_array( $field, array( 'name', 'api_base', 'secret' ), true ) ? 'required' : '',
				esc_html( $help )
			);
		}
		echo '</table>';
		submit_button( __( 'Add connection', 'omnistock' ) );
		echo '</form>';
	}

	/**
	 * One connection: its location map, its item map with SKU suggestions, delete.
	 *
	 * @param int $id Connection id.
	 */
	private function render_connection( int $id ): void {
		try {
			$connection = $this->connections->get( $id );
		} catch ( \Omnistock\Error $e ) {
			echo '<p>' . esc_html( $e->getMessage() ) . '</p>';
			return;
		}
		/* translators: 1: connection name, 2: provider */
		echo '<h2>' . esc_html( sprintf( __( '%1$s (%2$s)', 'omnistock' ), $connection->name, $connection->provider ) ) . '</h2>';
		echo '<p>' . esc_html__( 'Webhook URL:', 'omnistock' ) . ' <code>' . esc_html( self::webhook_url( $id ) ) . '</code> <a href="' . esc_url( self::url() ) . '">' . esc_html__( 'All connections', 'omnistock' ) . '</a></p>';

		$this->render_health( $id );

		$mapped = $this->connections->locations( $id );
		$by_loc = array();
		foreach ( $mapped as $external => $m ) {
			$by_loc[ $m['location'] ] = array( $external, $m['system_of_record'] );
		}
		echo '<h3>' . esc_html__( 'Locations', 'omnistock' ) . '</h3><p class="description">' . esc_html__( 'For each of your locations, the provider\'s location id (empty: not connected), and who wins when the two disagree.', 'omnistock' ) . '</p>';
		echo '<form id="omnistock-connection-locations" method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		wp_nonce_field( self::LOCATIONS );
		echo '<input type="hidden" name="action" value="' . esc_attr( self::LOCATIONS ) . '"><input type="hidden" name="connection" value="' . (int) $id . '">';
		echo '<table class="widefat striped"><thead><tr><th>' . esc_html__( 'Location', 'omnistock' ) . '</th><th>' . esc_html__( 'Provider location id', 'omnistock' ) . '</th><th>' . esc_html__( 'System of record', 'omnistock' ) . '</th></tr></thead><tbody>';
		foreach ( $this->locations->all() as $l ) {
			list( $external, $system ) = $by_loc[ (int) $l['id'] ] ?? array( '', 'omnistock' );
			printf(
				'<tr><th scope="row">%1$s</th><td><input name="external[%2$d]" value="%3$s" class="regular-text" aria-label="%8$s"></td><td><select name="system[%2$d]" aria-label="%9$s"><option value="omnistock" %4$s>%5$s</option><option value="provider" %6$s>%7$s</option></select></td></tr>',
				esc_html( $l['name'] ),
				(int) $l['id'],
				esc_attr( $external ),
				selected( $system, 'omnistock', false ),
				esc_html__( 'Omnistock (correct the register)', 'omnistock' ),
				selected( $system, 'provider', false ),
				esc_html__( 'The register (correct Omnistock)', 'omnistock' ),
				/* translators: %s: location name */
				esc_attr( sprintf( __( 'Provider location id of %s', 'omnistock' ), $l['name'] ) ),
				/* translators: %s: location name */
				esc_attr( sprintf( __( 'System of record of %s', 'omnistock' ), $l['name'] ) )
			);
		}
		echo '</tbody></table>';
		submit_button( __( 'Save locations', 'omnistock' ) );
		echo '</form>';

		$items = $this->connections->items( $id );
		echo '<h3>' . esc_html__( 'Items', 'omnistock' ) . '</h3>';
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- a read of the provider's catalogue, changes nothing.
		$suggest = isset( $_GET['suggest'] );
		$rows    = array();
		foreach ( $items as $external => $product ) {
			$rows[ $external ] = array( $product, '', '' );
		}
		if ( $suggest ) {
			try {
				$catalogue = $this->catalogue->items( $connection );
				$found     = $this->matcher->suggest( $catalogue );
				$names     = array_column( $catalogue, 'name', 'id' );
				foreach ( $catalogue as $item ) {
					$rows[ $item['id'] ] = array( $items[ $item['id'] ] ?? ( $found['matches'][ $item['id'] ] ?? 0 ), $item['sku'], (string) $names[ $item['id'] ] );
				}
				/* translators: 1: items read, 2: suggested matches, 3: items without a usable SKU */
				echo '<p>' . esc_html( sprintf( __( '%1$d items read from the provider, %2$d matched by SKU; %3$d have no SKU, a SKU shared by several items or products, or one no product has: map them by hand.', 'omnistock' ), count( $catalogue ), count( $found['matches'] ), count( $found['no_sku'] ) + count( $found['duplicate_sku'] ) + count( $found['ambiguous'] ) + count( $found['unknown_sku'] ) ) ) . '</p>';
			} catch ( \Omnistock\Error $e ) {
				echo '<div class="notice notice-error inline"><p>' . esc_html( $e->getMessage() ) . '</p></div>';
			}
		} else {
			echo '<p><a class="button" href="' . esc_url(
				self::url(
					array(
						'connection' => $id,
						'suggest'    => 1,
					)
				)
			) . '">' . esc_html__( 'Read the provider\'s catalogue and suggest matches by SKU', 'omnistock' ) . '</a></p>';
		}
		echo '<form id="omnistock-connection-items" method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		wp_nonce_field( self::ITEMS );
		echo '<input type="hidden" name="action" value="' . esc_attr( self::ITEMS ) . '"><input type="hidden" name="connection" value="' . (int) $id . '">';
		echo '<table class="widefat striped"><thead><tr><th>' . esc_html__( 'Provider item id', 'omnistock' ) . '</th><th>' . esc_html__( 'SKU', 'omnistock' ) . '</th><th>' . esc_html__( 'Name', 'omnistock' ) . '</th><th>' . esc_html__( 'Product or variation id (empty: not mapped)', 'omnistock' ) . '</th></tr></thead><tbody>';
		$n = 0;
		foreach ( $rows as $external => list( $product, $sku, $name ) ) {
			printf(
				'<tr data-item="%2$s"><td><input type="hidden" name="item[%1$d]" value="%2$s"><code>%3$s</code></td><td>%4$s</td><td>%5$s</td><td><input name="product[%1$d]" type="number" min="1" value="%6$s" aria-label="%7$s"></td></tr>',
				(int) $n,
				esc_attr( (string) $external ),
				esc_html( (string) $external ),
				esc_html( $sku ),
				esc_html( $name ),
				$product > 0 ? (int) $product : '',
				/* translators: %s: the provider's item id */
				esc_attr( sprintf( __( 'Product or variation id for %s', 'omnistock' ), (string) $external ) )
			);
			++$n;
		}
		printf( '<tr><td><input name="item[%1$d]" placeholder="%2$s" aria-label="%2$s"></td><td></td><td></td><td><input name="product[%1$d]" type="number" min="1" aria-label="%3$s"></td></tr>', (int) $n, esc_attr__( 'another item id', 'omnistock' ), esc_attr__( 'Product or variation id for the other item', 'omnistock' ) );
		echo '</tbody></table>';
		submit_button( __( 'Save items', 'omnistock' ) );
		echo '</form>';

		echo '<form id="omnistock-connection-delete" method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" onsubmit="return confirm(this.dataset.confirm)" data-confirm="' . esc_attr__( 'Delete this connection? Its maps, inbox and outbox go with it.', 'omnistock' ) . '">';
		wp_nonce_field( self::DELETE );
		echo '<input type="hidden" name="action" value="' . esc_attr( self::DELETE ) . '"><input type="hidden" name="connection" value="' . (int) $id . '">';
		submit_button( __( 'Delete connection', 'omnistock' ), 'delete' );
		echo '</form>';
	}

	/**
	 * A connection's health (Connectors\Health) and its "Sync now" and "Reconcile now" buttons.
	 *
	 * @param int $id Connection id.
	 */
	private function render_health( int $id ): void {
		if ( ! $this->health ) {
			return;
		}
		try {
			$h = $this->health->of( $id );
		} catch ( \Omnistock\Error $e ) {
			echo '<div class="notice notice-error inline"><p>' . esc_html( $e->getMessage() ) . '</p></div>';
			return;
		}
		echo '<h3 id="omnistock-connection-health-heading">' . esc_html__( 'Health', 'omnistock' ) . '</h3>';
		echo '<table class="widefat striped omnistock-connection-health" aria-labelledby="omnistock-connection-health-heading"><tbody>';
		$inbox = (array) $h['inbox'];
		$rows  = array(
			'last-webhook'   => array( __( 'Last webhook', 'omnistock' ), self::when( (int) ( $h['last_webhook_at'] ?? 0 ) ) ),
			'last-push'      => array( __( 'Last push', 'omnistock' ), self::when( (int) ( $h['last_push_at'] ?? 0 ) ) ),
			'last-reconcile' => array( __( 'Last reconciliation', 'omnistock' ), self::when( (int) ( $h['last_reconcile_at'] ?? 0 ) ) ),
			/* translators: %s: seconds, with decimals */
			'lag'            => array( __( 'Lag (oldest change waiting to be pushed)', 'omnistock' ), sprintf( __( '%s s', 'omnistock' ), number_format_i18n( ( (int) $h['lag_ms'] ) / 1000, 1 ) ) ),
			'outbox'         => array( __( 'Changes waiting to be pushed', 'omnistock' ), number_format_i18n( (int) $h['outbox_depth'] ) ),
			'dead'           => array( __( 'Dead letters (changes that failed for a day)', 'omnistock' ), number_format_i18n( (int) $h['dead_letters'] ) ),
			'inbox'          => array(
				__( 'Webhooks waiting', 'omnistock' ),
				/* translators: 1: new deliveries, 2: deferred, 3: unmapped, 4: invalid */
				sprintf( __( '%1$d new, %2$d deferred, %3$d unmapped, %4$d invalid', 'omnistock' ), (int) ( $inbox['new'] ?? 0 ), (int) ( $inbox['deferred'] ?? 0 ), (int) ( $inbox['unmapped'] ?? 0 ), (int) ( $inbox['invalid'] ?? 0 ) ),
			),
		);
		foreach ( $rows as $key => list( $label, $value ) ) {
			printf( '<tr data-health="%s"><th scope="row">%s</th><td>%s</td></tr>', esc_attr( $key ), esc_html( $label ), esc_html( $value ) );
		}
		echo '</tbody></table>';

		echo '<h4>' . esc_html__( 'Drift (the register\'s count minus ours, at the last reconciliation)', 'omnistock' ) . '</h4>';
		if ( ! $h['drift'] ) {
			echo '<p class="omnistock-connection-drift-none">' . esc_html__( 'No drift.', 'omnistock' ) . '</p>';
		} else {
			echo '<table class="widefat striped omnistock-connection-drift"><thead><tr><th scope="col">' . esc_html__( 'Product', 'omnistock' ) . '</th><th scope="col">' . esc_html__( 'Location', 'omnistock' ) . '</th><th scope="col">' . esc_html__( 'Register now', 'omnistock' ) . '</th><th scope="col">' . esc_html__( 'Drift', 'omnistock' ) . '</th><th scope="col">' . esc_html__( 'Noted', 'omnistock' ) . '</th></tr></thead><tbody>';
			$names = array_column( $this->locations->all(), 'name', 'id' );
			foreach ( $h['drift'] as $d ) {
				$register = null === $d['ext_qty'] ? '—' : (string) $d['ext_qty'];
				printf(
					'<tr data-product="%1$d" data-location="%2$d"><td>%3$s</td><td>%4$s</td><td>%5$s</td><td>%6$s</td><td>%7$s</td></tr>',
					(int) $d['product'],
					(int) $d['location'],
					esc_html( self::product_name( (int) $d['product'] ) ),
					esc_html( (string) ( $names[ $d['location'] ] ?? $d['location'] ) ),
					esc_html( $register ),
					esc_html( sprintf( '%+d', (int) $d['drift'] ) ),
					esc_html( self::when( (int) $d['drift_at'] ) )
				);
			}
			echo '</tbody></table>';
		}

		echo '<h4>' . esc_html__( 'Unmapped items (their webhooks are kept until you map them)', 'omnistock' ) . '</h4>';
		if ( ! $h['unmapped_items'] ) {
			echo '<p class="omnistock-connection-unmapped-none">' . esc_html__( 'None.', 'omnistock' ) . '</p>';
		} else {
			echo '<table class="widefat striped omnistock-connection-unmapped"><thead><tr><th scope="col">' . esc_html__( 'Provider item id', 'omnistock' ) . '</th><th scope="col">' . esc_html__( 'Provider location id', 'omnistock' ) . '</th><th scope="col">' . esc_html__( 'Deliveries kept', 'omnistock' ) . '</th></tr></thead><tbody>';
			foreach ( $h['unmapped_items'] as $u ) {
				printf( '<tr data-item="%1$s"><td><code>%2$s</code></td><td><code>%3$s</code></td><td>%4$d</td></tr>', esc_attr( (string) $u['item'] ), esc_html( (string) $u['item'] ), esc_html( (string) $u['location'] ), (int) $u['deliveries'] );
			}
			echo '</tbody></table>';
		}

		if ( $this->sync ) {
			echo '<div class="omnistock-connection-actions">';
			foreach ( array(
				self::SYNC      => array( 'omnistock-connection-sync', __( 'Sync now', 'omnistock' ), __( 'Takes in the waiting webhooks and pushes the waiting changes.', 'omnistock' ) ),
				self::RECONCILE => array( 'omnistock-connection-reconcile', __( 'Reconcile now', 'omnistock' ), __( 'Reads the register\'s counts of every mapped item and corrects the drift by each location\'s system of record.', 'omnistock' ) ),
			) as $action => list( $form, $label, $help ) ) {
				echo '<form id="' . esc_attr( $form ) . '" method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" style="display:inline-block;margin-right:1em">';
				wp_nonce_field( $action );
				echo '<input type="hidden" name="action" value="' . esc_attr( $action ) . '"><input type="hidden" name="connection" value="' . (int) $id . '">';
				submit_button( $label, 'secondary', 'submit', false, array( 'aria-describedby' => $form . '-help' ) );
				echo ' <span class="description" id="' . esc_attr( $form ) . '-help">' . esc_html( $help ) . '</span></form>';
			}
			echo '</div>';
		}
	}

	/**
	 * Runs the connection now (admin-post); the run's report is the notice.
	 */
	public function handle_sync(): void {
		Form::check_post( Capabilities::MANAGE, self::SYNC );
		$id   = isset( $_POST['connection'] ) ? absint( $_POST['connection'] ) : 0; // phpcs:ignore WordPress.Security.NonceVerification.Missing -- checked by Form::check_post().
		$args = array( 'connection' => $id );
		if ( ! $this->sync ) {
			Form::back( self::SLUG, __( 'Synchronising is not available on this site.', 'omnistock' ), true, $args );
		}
		try {
			$report = $this->sync->run( $id );
		} catch ( \Omnistock\Error $e ) {
			Form::back( self::SLUG, $e->getMessage(), true, $args );
		}
		if ( 'busy' === $report['status'] ) {
			Form::back( self::SLUG, __( 'This connection is being synchronised by another process right now; its work will be done there.', 'omnistock' ), false, $args );
		}
		if ( 'paused' === $report['status'] ) {
			Form::back( self::SLUG, __( 'This connection is paused: nothing was synchronised.', 'omnistock' ), true, $args );
		}
		$inbox = (array) ( $report['inbox'] ?? array() );
		Form::back(
			self::SLUG,
			sprintf(
				/* translators: 1: webhook observations applied, 2: kept unmapped, 3: changes pushed, 4: acknowledged, 5: failed, 6: still waiting */
				__( 'Synchronised: %1$d register changes taken in (%2$d kept, unmapped); %3$d changes pushed, %4$d acknowledged, %5$d failed; %6$d waiting.', 'omnistock' ),
				(int) ( $inbox['applied'] ?? 0 ),
				(int) ( $inbox['unmapped'] ?? 0 ),
				(int) $report['pushed'],
				(int) $report['acknowledged'],
				(int) $report['failed'],
				(int) $report['remaining']
			),
			(int) $report['failed'] > 0,
			$args
		);
	}

	/**
	 * Reconciles the connection now (admin-post); the drift found and corrected is the notice.
	 */
	public function handle_reconcile(): void {
		Form::check_post( Capabilities::MANAGE, self::RECONCILE );
		$id   = isset( $_POST['connection'] ) ? absint( $_POST['connection'] ) : 0; // phpcs:ignore WordPress.Security.NonceVerification.Missing -- checked by Form::check_post().
		$args = array( 'connection' => $id );
		if ( ! $this->sync ) {
			Form::back( self::SLUG, __( 'Reconciliation is not available on this site.', 'omnistock' ), true, $args );
		}
		try {
			$report = $this->sync->reconcile( $id );
		} catch ( \Omnistock\Error $e ) {
			Form::back( self::SLUG, $e->getMessage(), true, $args );
		}
		$drift     = 0;
		$corrected = 0;
		$skipped   = 0;
		foreach ( $report['cells'] as $cell ) {
			$drift     += null !== $cell['drift'] && 0 !== $cell['drift'] ? 1 : 0;
			$corrected += in_array( $cell['corrected'], array( 'push', 'count' ), true ) ? 1 : 0;
			$skipped   += 'skipped' === $cell['corrected'] ? 1 : 0;
		}
		Form::back(
			self::SLUG,
			sprintf(
				/* translators: 1: cells read from the register, 2: cells with drift, 3: corrected, 4: left alone (a change of ours on its way) */
				__( 'Reconciled: %1$d counts read, %2$d with drift, %3$d corrected, %4$d left alone while a change of ours is on its way.', 'omnistock' ),
				(int) $report['read'],
				$drift,
				$corrected,
				$skipped
			),
			false,
			$args
		);
	}

	/**
	 * A product's name and id, for the drift list.
	 *
	 * @param int $id Product id.
	 */
	private static function product_name( int $id ): string {
		$product = function_exists( 'wc_get_product' ) ? wc_get_product( $id ) : null;
		/* translators: 1: product name, 2: product id */
		return $product ? sprintf( __( '%1$s (#%2$d)', 'omnistock' ), $product->get_name(), $id ) : '#' . $id;
	}

	/**
	 * Adds a connection (admin-post).
	 */
	public function handle_add(): void {
		Form::check_post( Capabilities::MANAGE, self::ADD );
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- checked by Form::check_post().
		$field = static fn( string $name ): string => isset( $_POST[ $name ] ) ? trim( sanitize_text_field( wp_unslash( $_POST[ $name ] ) ) ) : '';
		// Secrets are taken as typed (sanitize_text_field would strip characters a token may hold), never printed.
		$raw = static fn( string $name ): string => isset( $_POST[ $name ] ) && is_string( $_POST[ $name ] ) ? trim( wp_unslash( $_POST[ $name ] ) ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized
		// phpcs:enable
		$credentials = array_filter(
			array(
				'access_token' => $raw( 'access_token' ),
				'merchant_id'  => $field( 'merchant_id' ),
			),
			static fn( string $v ): bool => '' !== $v
		);
		try {
			$provider   = $field( 'provider' );
			$connection = $this->connections->create( in_array( $provider, Providers::NAMES, true ) ? $provider : '', $field( 'name' ), esc_url_raw( $field( 'api_base' ) ), $credentials, $raw( 'secret' ) );
		} catch ( \Omnistock\Error $e ) {
			Form::failed( self::SLUG, $e );
		}
		/* translators: %s: webhook URL */
		Form::back( self::SLUG, sprintf( __( 'Connection added. Give the provider this webhook URL: %s', 'omnistock' ), self::webhook_url( $connection->id ) ), false, array( 'connection' => $connection->id ) );
	}

	/**
	 * Saves the location map (admin-post).
	 */
	public function handle_locations(): void {
		Form::check_post( Capabilities::MANAGE, self::LOCATIONS );
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- checked by Form::check_post().
		$id       = isset( $_POST['connection'] ) ? absint( $_POST['connection'] ) : 0;
		$external = isset( $_POST['external'] ) && is_array( $_POST['external'] ) ? array_map( 'sanitize_text_field', wp_unslash( $_POST['external'] ) ) : array();
		$system   = isset( $_POST['system'] ) && is_array( $_POST['system'] ) ? array_map( 'sanitize_key', wp_unslash( $_POST['system'] ) ) : array();
		// phpcs:enable
		$map = array();
		foreach ( $external as $location => $ext ) {
			$ext = trim( (string) $ext );
			if ( '' !== $ext ) {
				$map[ $ext ] = array(
					'location'         => (int) $location,
					'system_of_record' => (string) ( $system[ $location ] ?? 'omnistock' ),
				);
			}
		}
		try {
			$this->connections->set_locations( $id, $map );
		} catch ( \Omnistock\Error $e ) {
			Form::failed( self::SLUG, $e );
		}
		Form::back( self::SLUG, __( 'Locations saved.', 'omnistock' ), false, array( 'connection' => $id ) );
	}

	/**
	 * Saves the item map (admin-post).
	 */
	public function handle_items(): void {
		Form::check_post( Capabilities::MANAGE, self::ITEMS );
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- checked by Form::check_post().
		$id       = isset( $_POST['connection'] ) ? absint( $_POST['connection'] ) : 0;
		$items    = isset( $_POST['item'] ) && is_array( $_POST['item'] ) ? array_map( 'sanitize_text_field', wp_unslash( $_POST['item'] ) ) : array();
		$products = isset( $_POST['product'] ) && is_array( $_POST['product'] ) ? array_map( 'absint', wp_unslash( $_POST['product'] ) ) : array();
		// phpcs:enable
		$map = array();
		foreach ( $items as $n => $external ) {
			$external = trim( (string) $external );
			if ( '' !== $external && ( $products[ $n ] ?? 0 ) > 0 ) {
				$map[ $external ] = $products[ $n ];
			}
		}
		try {
			$this->connections->set_items( $id, $map );
		} catch ( \Omnistock\Error $e ) {
			Form::failed( self::SLUG, $e );
		}
		/* translators: %d: number of items mapped */
		Form::back( self::SLUG, sprintf( _n( '%d item mapped.', '%d items mapped.', count( $map ), 'omnistock' ), count( $map ) ), false, array( 'connection' => $id ) );
	}

	/**
	 * Deletes a connection (admin-post).
	 */
	public function handle_delete(): void {
		Form::check_post( Capabilities::MANAGE, self::DELETE );
		$id = isset( $_POST['connection'] ) ? absint( $_POST['connection'] ) : 0; // phpcs:ignore WordPress.Security.NonceVerification.Missing -- checked by Form::check_post().
		try {
			$this->connections->delete( $id );
		} catch ( \Omnistock\Error $e ) {
			Form::failed( self::SLUG, $e );
		}
		Form::back( self::SLUG, __( 'Connection deleted.', 'omnistock' ) );
	}

	/**
	 * This screen's URL.
	 *
	 * @param array $args Query arguments.
	 */
	private static function url( array $args = array() ): string {
		return add_query_arg( array( 'page' => self::SLUG ) + $args, admin_url( 'admin.php' ) );
	}

	/**
	 * A time in ms as the site shows dates, or "never".
	 *
	 * @param int $ms Milliseconds since the epoch, 0 for never.
	 */
	private static function when( int $ms ): string {
		return $ms > 0 ? wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), intdiv( $ms, 1000 ) ) : __( 'never', 'omnistock' );
	}
}
