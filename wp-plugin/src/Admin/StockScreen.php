<?php
/**
 * Stock screen: products × locations; count, adjust, transfer; a cell's ledger.
 *
 * @package Omnistock
 */

namespace Omnistock\Admin;

use Omnistock\Capabilities;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Locations;

defined( 'ABSPATH' ) || exit;

/**
 * Every change goes through Inventory::record() as an event of source "admin".
 */
final class StockScreen {

	public const SLUG      = 'omnistock-stock';
	public const ACTION    = 'omnistock_stock_event';
	private const PER_PAGE = 50;

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The inventory service.
	 * @param Locations $locations Locations.
	 */
	public function __construct( private readonly Inventory $inventory, private readonly Locations $locations ) {
	}

	/**
	 * Draws the screen.
	 */
	public function render(): void {
		if ( ! current_user_can( Capabilities::VIEW ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to view the inventory.', 'omnistock' ), '', array( 'response' => 403 ) );
		}
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- choosing what to show.
		$page     = max( 1, absint( $_GET['paged'] ?? 1 ) );
		$product  = absint( $_GET['product'] ?? 0 );
		$location = absint( $_GET['location'] ?? 0 );
		// phpcs:enable
		$locations = $this->locations->all();
		echo '<div class="wrap"><h1>' . esc_html__( 'Stock', 'omnistock' ) . '</h1>';
		Form::notice();
		echo '<table class="widefat striped omnistock-stock"><thead><tr><th>' . esc_html__( 'Product', 'omnistock' ) . '</th>';
		foreach ( $locations as $l ) {
			echo '<th>' . esc_html( $l['name'] ) . '<br><small>' . esc_html__( 'on hand / committed / safety / held / sellable', 'omnistock' ) . '</small></th>';
		}
		echo '<th>' . esc_html__( 'Online', 'omnistock' ) . '</th></tr></thead><tbody>';
		foreach ( $this->products( $page ) as $id ) {
			$stock = $this->inventory->stock( $id );
			$by    = array_column( $stock['locations'], null, 'location' );
			echo '<tr><td>' . esc_html( $this->product_name( $id ) ) . '</td>';
			foreach ( $locations as $l ) {
				$c    = $by[ $l['id'] ];
				$link = add_query_arg(
					array(
						'page'     => self::SLUG,
						'product'  => $id,
						'location' => $l['id'],
					),
					admin_url( 'admin.php' )
				);
				printf(
					'<td><a href="%s" title="%s">%d / %d / %d / %d / <strong%s>%d</strong></a></td>',
					esc_url( $link ),
					esc_attr__( 'Ledger of this cell', 'omnistock' ),
					(int) $c['on_hand'],
					(int) $c['committed'],
					(int) $c['safety'],
					(int) $c['held'],
					$c['sellable'] < 0 ? ' style="color:#b32d2e"' : '',
					(int) $c['sellable']
				);
			}
			echo '<td>' . (int) $stock['online'] . '</td></tr>';
		}
		echo '</tbody></table>';
		$this->form( $locations );
		if ( $product && $location ) {
			$this->ledger( $product, $location );
		}
		echo '</div>';
	}

	/**
	 * Product ids with levels, one page.
	 *
	 * @param int $page Page number.
	 * @return list<int>
	 */
	private function products( int $page ): array {
		return $this->inventory->stocked_products( self::PER_PAGE, ( $page - 1 ) * self::PER_PAGE );
	}

	/**
	 * A product's title, or its id when it is not a post here.
	 *
	 * @param int $id Product id.
	 */
	private function product_name( int $id ): string {
		$title = get_post( $id ) ? get_the_title( $id ) : '';
		return '' !== $title ? sprintf( '%s (#%d)', $title, $id ) : sprintf( '#%d', $id );
	}

	/**
	 * Count / adjust / transfer form.
	 *
	 * @param array $locations Locations.
	 */
	private function form( array $locations ): void {
		if ( ! current_user_can( Capabilities::MANAGE ) ) {
			return;
		}
		$options = '';
		foreach ( $locations as $l ) {
			$options .= sprintf( '<option value="%d">%s</option>', (int) $l['id'], esc_html( $l['name'] ) );
		}
		echo '<h2>' . esc_html__( 'Count, adjust or transfer', 'omnistock' ) . '</h2>';
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" class="omnistock-event">';
		wp_nonce_field( self::ACTION );
		echo '<input type="hidden" name="action" value="' . esc_attr( self::ACTION ) . '">';
		echo '<select name="kind"><option value="count">' . esc_html__( 'Count (units there now)', 'omnistock' ) . '</option><option value="adjust">' . esc_html__( 'Adjust (+/- units)', 'omnistock' ) . '</option><option value="transfer">' . esc_html__( 'Transfer', 'omnistock' ) . '</option></select> ';
		echo '<label>' . esc_html__( 'Product id', 'omnistock' ) . ' <input type="number" name="product" min="1" required></label> ';
		echo '<label>' . esc_html__( 'Location', 'omnistock' ) . ' <select name="location">' . $options . '</select></label> '; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped above.
		echo '<label>' . esc_html__( 'To (transfer)', 'omnistock' ) . ' <select name="to"><option value="">—</option>' . $options . '</select></label> '; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped above.
		echo '<label>' . esc_html__( 'Quantity', 'omnistock' ) . ' <input type="number" name="qty" required></label> ';
		echo '<label>' . esc_html__( 'Reason', 'omnistock' ) . ' <input name="reason" maxlength="64"></label> ';
		echo '<input type="hidden" name="event_id" value="' . esc_attr( 'admin:' . wp_generate_uuid4() ) . '">';
		submit_button( __( 'Record', 'omnistock' ), 'primary', 'submit', false );
		echo '</form>';
	}

	/**
	 * The ledger of one cell, newest first.
	 *
	 * @param int $product  Product id.
	 * @param int $location Location id.
	 */
	private function ledger( int $product, int $location ): void {
		/* translators: 1: product, 2: location id */
		echo '<h2>' . esc_html( sprintf( __( 'Ledger of %1$s at location %2$d', 'omnistock' ), $this->product_name( $product ), $location ) ) . '</h2>';
		echo '<table class="widefat striped omnistock-ledger"><thead><tr>';
		foreach ( array( __( 'When', 'omnistock' ), __( 'Arrived', 'omnistock' ), __( 'Kind', 'omnistock' ), __( 'Quantity', 'omnistock' ), __( 'Source', 'omnistock' ), __( 'Reference', 'omnistock' ), __( 'Actor', 'omnistock' ), __( 'Reason', 'omnistock' ), __( 'Event id', 'omnistock' ) ) as $heading ) {
			echo '<th>' . esc_html( $heading ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		foreach ( $this->inventory->ledger_tail( 100, $product, $location ) as $row ) {
			$qty = (int) $row['qty'];
			if ( 'transfer' === $row['kind'] ) {
				$qty = (int) $row['location_id'] === $location ? -$qty : $qty;
			}
			printf(
				'<tr><td>%s</td><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td><code>%s</code></td></tr>',
				esc_html( wp_date( 'Y-m-d H:i:s', intdiv( (int) $row['at'], 1000 ) ) ),
				esc_html( wp_date( 'Y-m-d H:i:s', intdiv( (int) $row['arrived_at'], 1000 ) ) ),
				esc_html( $row['kind'] ),
				(int) $qty,
				esc_html( $row['source'] ),
				esc_html( $row['reference'] ),
				esc_html( $row['actor'] ),
				esc_html( $row['reason'] ),
				esc_html( $row['event_id'] )
			);
		}
		echo '</tbody></table>';
	}

	/**
	 * Records the form's event (admin-post.php).
	 */
	public function handle(): void {
		Form::check_post( Capabilities::MANAGE, self::ACTION );
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- checked by Form::check_post().
		$event = array(
			'id'       => sanitize_text_field( wp_unslash( $_POST['event_id'] ?? '' ) ),
			'kind'     => sanitize_key( wp_unslash( $_POST['kind'] ?? '' ) ),
			'product'  => sanitize_text_field( wp_unslash( $_POST['product'] ?? '' ) ),
			'location' => sanitize_text_field( wp_unslash( $_POST['location'] ?? '' ) ),
			'qty'      => sanitize_text_field( wp_unslash( $_POST['qty'] ?? '' ) ),
			'reason'   => sanitize_text_field( wp_unslash( $_POST['reason'] ?? '' ) ),
		);
		if ( 'transfer' === $event['kind'] ) {
			$event['to'] = sanitize_text_field( wp_unslash( $_POST['to'] ?? '' ) );
		}
		// phpcs:enable
		try {
			$result = $this->inventory->record(
				array( $event ),
				array(
					'source' => 'admin',
					'actor'  => wp_get_current_user()->user_login,
				)
			);
		} catch ( \Omnistock\Error | \Omnistock\Exception $e ) {
			Form::failed( self::SLUG, $e );
		}
		$message = $result['duplicates'] ? __( 'This change was already recorded.', 'omnistock' ) : __( 'Recorded.', 'omnistock' );
		if ( $result['oversold'] ) {
			$message .= ' ' . __( 'Warning: the cell is now oversold (sellable below zero).', 'omnistock' );
		}
		Form::back( self::SLUG, $message, (bool) $result['oversold'] );
	}
}
