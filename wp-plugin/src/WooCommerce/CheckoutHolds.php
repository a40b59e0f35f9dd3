<?php
/**
 * Checkout holds with caps on what anonymous shoppers may hold at once.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Omnistock\Inventory\HoldClaims;
use Omnistock\Inventory\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * A checkout's hold keeps units (and, with the shm backend, one of the segment's hold slots) for
 * the shop's hold minutes. A shopper who is not logged in may have at most a few live holds per
 * WooCommerce session and per client address, and all of them together at most a share of what
 * there is, so a flood of anonymous checkouts cannot take the last slot or unit from a customer.
 * Over a cap, the checkout is refused as WooCommerce refuses a line that is out of stock.
 */
final class CheckoutHolds {

	/** Options holding the caps (0: no cap of that kind), with their defaults. */
	public const CAPS = array(
		'session'   => array( 'omnistock_hold_cap_session', 5 ),
		'address'   => array( 'omnistock_hold_cap_address', 50 ),
		'anonymous' => array( 'omnistock_hold_cap_anonymous', 10000 ),
	);

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory  $inventory The inventory service.
	 * @param HoldClaims $claims    Who holds what.
	 */
	public function __construct( private readonly Inventory $inventory, private readonly HoldClaims $claims ) {
	}

	/**
	 * Who checks out: null for a logged-in customer (never capped), else the WooCommerce session
	 * and the client address WooCommerce recorded (WC_Geolocation::get_ip_address(), which knows
	 * the proxy headers).
	 *
	 * @param \WC_Order $order Order being checked out.
	 * @return array{session:string, address:string}|null
	 */
	public static function shopper( \WC_Order $order ): ?array {
		if ( $order->get_customer_id() > 0 ) {
			return null;
		}
		$session = function_exists( 'WC' ) && WC()->session ? (string) WC()->session->get_customer_id() : '';
		$address = (string) $order->get_customer_ip_address();
		return array(
			'session' => $session,
			'address' => '' !== $address ? $address : (string) \WC_Geolocation::get_ip_address(),
		);
	}

	/**
	 * The caps in force: the options, then the filter.
	 *
	 * @return array{session:int, address:int, anonymous:int}
	 */
	public static function caps(): array {
		$caps = array();
		foreach ( self::CAPS as $kind => list( $option, $default ) ) {
			$caps[ $kind ] = max( 0, (int) get_option( $option, $default ) );
		}
		/**
		 * Most live checkout holds per anonymous session, per client address, and of all anonymous
		 * shoppers together; 0 is no cap of that kind.
		 *
		 * @param array{session:int, address:int, anonymous:int} $caps The caps.
		 */
		$filtered = apply_filters( 'omnistock_checkout_hold_caps', $caps );
		foreach ( $caps as $kind => $cap ) {
			$caps[ $kind ] = is_array( $filtered ) && isset( $filtered[ $kind ] ) ? max( 0, (int) $filtered[ $kind ] ) : $cap;
		}
		return $caps;
	}

	/**
	 * All-or-nothing hold of $lines under $key, as Inventory::hold(), after claiming a place under
	 * each cap of an anonymous shopper. "capped" names the cap that was full (nothing is held).
	 *
	 * @param string                                     $key     Hold key of the order.
	 * @param list<array{0:int, 1:int, 2:int}>           $lines   [product, location, qty].
	 * @param int                                        $ttl     Seconds.
	 * @param array{session:string, address:string}|null $shopper self::shopper().
	 * @return array{ok:bool, short:list<array{product:int, location:int, wanted:int, sellable:int}>, capped:string|null}
	 * @throws \Throwable What the holds backend threw (nothing is held, nothing claimed).
	 */
	public function hold( string $key, array $lines, int $ttl, ?array $shopper ): array {
		$owners = array();
		if ( null !== $shopper ) {
			$caps = self::caps();
			foreach ( array( 'session', 'address' ) as $kind ) {
				if ( $caps[ $kind ] > 0 && '' !== $shopper[ $kind ] ) {
					$owners[ $kind . ':' . md5( $shopper[ $kind ] ) ] = $caps[ $kind ];
				}
			}
			if ( $caps['anonymous'] > 0 ) {
				$owners['anonymous'] = $caps['anonymous'];
			}
		}
		$full = $this->claims->claim( $key, $owners, $ttl );
		if ( null !== $full ) {
			return array(
				'ok'     => false,
				'short'  => array(),
				'capped' => explode( ':', $full )[0],
			);
		}
		try {
			$result = $this->inventory->hold( $key, $lines, $ttl );
		} catch ( \Throwable $e ) {
			$this->claims->release( $key );
			throw $e;
		}
		if ( ! $result['ok'] ) {
			$this->claims->release( $key );
		}
		return $result + array( 'capped' => null );
	}

	/**
	 * Releases the hold of $key and its claims; returns the units released.
	 *
	 * @param string $key      Hold key of the order.
	 * @param int[]  $products The products it held (announced as changed when units come free).
	 */
	public function release( string $key, array $products = array() ): int {
		$this->claims->release( $key );
		return $this->inventory->release( $key, $products );
	}

	/**
	 * The hold of $key was committed (paid): it holds no checkout place any more.
	 *
	 * @param string $key Hold key of the order.
	 */
	public function committed( string $key ): void {
		$this->claims->release( $key );
	}
}
