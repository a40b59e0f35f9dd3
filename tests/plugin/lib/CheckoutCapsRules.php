<?php
/**
 * Anonymous checkouts under their caps (CheckoutHolds, the path OrderStock::hold() takes at every
 * checkout); used by the test class of each holds backend.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

use Omnistock\Inventory\HoldClaims;
use Omnistock\WooCommerce\CheckoutHolds;

trait CheckoutCapsRules {

	private const CAPS = array(
		'session'   => 2,
		'address'   => 5,
		'anonymous' => 50,
	);

	protected function tearDown(): void {
		remove_all_filters( 'omnistock_checkout_hold_caps' );
		parent::tearDown();
	}

	/**
	 * 1,000 anonymous checkouts from one session, from one address (each its own session) and from
	 * 1,000 addresses; the stock is one unit more than the cap that binds them.
	 *
	 * @return array<string, array{0:string, 1:int}>
	 */
	public static function floods(): array {
		return array(
			'one session'    => array( 'session', self::CAPS['session'] ),
			'one address'    => array( 'address', self::CAPS['address'] ),
			'many addresses' => array( 'many', self::CAPS['anonymous'] ),
		);
	}

	/**
	 * @dataProvider floods
	 */
	public function test_a_thousand_anonymous_checkouts_cannot_take_the_last_unit_from_a_paying_customer( string $from, int $cap ): void {
		add_filter( 'omnistock_checkout_hold_caps', static fn() => self::CAPS );
		[$a]      = $this->loc;
		$p        = $this->product();
		$checkout = new CheckoutHolds( $this->inventory, new HoldClaims( $this->db, $this->tables ) );
		$this->inventory->record( array( self::ev( 'c', 'count', $p, $a, $cap + 1, 100 ) ) );
		$held   = 0;
		$capped = 0;
		for ( $i = 0; $i < 1000; $i++ ) {
			$shopper = array(
				'session' => 'session' === $from ? 'guest-1' : "guest-$i",
				'address' => 'many' === $from ? '10.' . ( $i >> 8 ) . '.' . ( $i & 255 ) . '.9' : '192.0.2.1',
			);
			$r       = $checkout->hold( "wc-order-anon-$i", array( array( $p, $a, 1 ) ), 600, $shopper );
			$held   += $r['ok'] ? 1 : 0;
			$capped += null !== $r['capped'] ? 1 : 0;
		}
		$this->assertSame( array( $cap, 1000 - $cap ), array( $held, $capped ), 'the cap lets exactly its number of holds through; the rest are refused by the cap, not for stock' );
		$this->assertSame( $cap, $this->cell( $p, $a )['held'] );

		$paying = $checkout->hold( 'wc-order-paying', array( array( $p, $a, 1 ) ), 600, null );
		$this->assertTrue( $paying['ok'], 'a logged-in customer gets the last unit' );
		$this->assertTrue( $this->inventory->commit( 'wc-order-paying', array( array( $p, $a, 1 ) ) )['ok'] );
		$checkout->committed( 'wc-order-paying' );
		$this->assertSame( 0, $this->cell( $p, $a )['sellable'] );

		// A released anonymous hold gives its place back.
		$this->inventory->record( array( self::ev( 'more', 'adjust', $p, $a, 1, 200 ) ) );
		$first = 'session' === $from ? array( 'guest-1', '192.0.2.1' ) : array( 'guest-0', 'many' === $from ? '10.0.0.9' : '192.0.2.1' );
		$this->assertSame( 1, $checkout->release( 'wc-order-anon-0' ) );
		$again = $checkout->hold(
			'wc-order-anon-again',
			array( array( $p, $a, 2 ) ),
			600,
			array(
				'session' => $first[0],
				'address' => $first[1],
			)
		);
		$this->assertTrue( $again['ok'], 'the released place and units are there again' );
	}

	public function test_a_logged_in_customer_is_never_capped_and_a_refused_hold_claims_nothing(): void {
		add_filter(
			'omnistock_checkout_hold_caps',
			static fn() => array(
				'session'   => 1,
				'address'   => 1,
				'anonymous' => 1,
			)
		);
		[$a]      = $this->loc;
		$p        = $this->product();
		$checkout = new CheckoutHolds( $this->inventory, new HoldClaims( $this->db, $this->tables ) );
		$this->inventory->record( array( self::ev( 'c', 'count', $p, $a, 5, 100 ) ) );
		$guest = array(
			'session' => 'guest',
			'address' => '192.0.2.7',
		);
		$short = $checkout->hold( 'wc-order-too-many', array( array( $p, $a, 9 ) ), 600, $guest );
		$this->assertSame( array( false, null ), array( $short['ok'], $short['capped'] ), 'short of stock, not capped' );
		$this->assertTrue( $checkout->hold( 'wc-order-guest', array( array( $p, $a, 1 ) ), 600, $guest )['ok'], 'the refused hold took no place' );
		$this->assertSame( 'session', $checkout->hold( 'wc-order-guest-2', array( array( $p, $a, 1 ) ), 600, $guest )['capped'] );
		$this->assertTrue( $checkout->hold( 'wc-order-guest', array( array( $p, $a, 2 ) ), 600, $guest )['ok'], 'a checkout submitted again replaces its own place' );
		for ( $i = 0; $i < 3; $i++ ) {
			$this->assertTrue( $checkout->hold( "wc-order-customer-$i", array( array( $p, $a, 1 ) ), 600, null )['ok'] );
		}
		$this->assertSame( 5, $this->cell( $p, $a )['held'] );
	}
}
