<?php
/**
 * POS customers: search by email, phone or name; create; their orders from both channels.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

require_once __DIR__ . '/lib/PosTestCase.php';

final class PosCustomersTest extends PosTestCase {

	public function test_create_then_find_by_email_phone_and_name(): void {
		$this->as_role( 'omnistock_cashier' );
		$tag     = strtolower( wp_generate_password( 6, false ) );
		$created = $this->pos(
			'POST',
			'/customers',
			array(
				'email'      => "ada.$tag@example.org",
				'first_name' => 'Ada',
				'last_name'  => "Lovelace$tag",
				'phone'      => '+49 30 1234 5678',
			)
		);
		$this->assertSame( 201, $created->get_status(), wp_json_encode( $created->get_data() ) );
		$customer = $created->get_data();
		$this->assertSame(
			array(
				'id'    => $customer['id'],
				'name'  => "Ada Lovelace$tag",
				'email' => "ada.$tag@example.org",
				'phone' => '+49 30 1234 5678',
			),
			$customer
		);
		$this->assertContains( 'customer', get_userdata( $customer['id'] )->roles );
		$this->assertSame( 'Ada', ( new \WC_Customer( $customer['id'] ) )->get_billing_first_name() );

		$other = $this->pos( 'POST', '/customers', array( 'email' => "bob.$tag@example.org", 'first_name' => 'Bob', 'phone' => '0171 999' ) )->get_data();
		foreach ( array( "ada.$tag@", "lovelace$tag", "Ada Lovelace$tag", '1234 5678', '30 1234' ) as $search ) {
			$found = $this->pos( 'GET', '/customers', null, array( 'search' => $search ) );
			$this->assertSame( 200, $found->get_status(), $search );
			$this->assertSame( array( $customer['id'] ), array_column( $found->get_data(), 'id' ), $search );
		}
		$this->assertSame( array( $other['id'] ), array_column( $this->pos( 'GET', '/customers', null, array( 'search' => "bob.$tag" ) )->get_data(), 'id' ) );

		$again = $this->pos( 'POST', '/customers', array( 'email' => "ada.$tag@example.org" ) );
		$this->assertSame( 409, $again->get_status() );
		$bad = $this->pos( 'POST', '/customers', array( 'email' => 'not an email' ) );
		$this->assertSame( 400, $bad->get_status() );
		$this->assertArrayHasKey( 'email', $bad->as_error()->get_error_data()['params'] );
		$this->assertSame( 400, $this->pos( 'GET', '/customers', null, array( 'search' => 'a' ) )->get_status() );
	}

	public function test_a_customers_orders_from_both_channels(): void {
		$mug      = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[1], 10 );
		$customer = $this->as_role( 'customer' );
		$email    = get_userdata( $customer )->user_email;
		$online   = $this->order( array( array( $mug, 1 ) ) );
		$online->set_customer_id( $customer );
		$online->set_created_via( 'checkout' );
		$online->save();
		$guest = $this->order( array( array( $mug, 1 ) ) );
		$guest->set_billing_email( $email );
		$guest->save();
		$stranger = $this->order( array( array( $mug, 1 ) ) );

		$this->as_role( 'omnistock_cashier' );
		$sale = $this->pos( 'POST', '/sales', $this->sale_body( array( array( $mug, 2 ) ), '20.00', array( 'customer' => $customer ) ) );
		$this->assertSame( 201, $sale->get_status(), wp_json_encode( $sale->get_data() ) );

		$response = $this->pos( 'GET', "/customers/$customer/orders" );
		$this->assertSame( 200, $response->get_status() );
		$orders = array_column( $response->get_data(), null, 'id' );
		$this->assertEqualsCanonicalizing( array( $online->get_id(), $guest->get_id(), $sale->get_data()['order'] ), array_keys( $orders ) );
		$this->assertArrayNotHasKey( $stranger->get_id(), $orders );
		$this->assertSame( 'pos', $orders[ $sale->get_data()['order'] ]['channel'] );
		$this->assertSame( 'completed', $orders[ $sale->get_data()['order'] ]['status'] );
		$this->assertSame( '20.00', $orders[ $sale->get_data()['order'] ]['total'] );
		$this->assertSame( 'online', $orders[ $online->get_id() ]['channel'] );
		$this->assertSame( 'online', $orders[ $guest->get_id() ]['channel'] );
		$this->assertSame( 404, $this->pos( 'GET', '/customers/999999/orders' )->get_status() );
	}

	public function test_a_staff_account_is_no_cashiers_customer(): void {
		$mug = $this->simple( 0 );
		$this->count_at( $mug->get_id(), $this->loc[1], 10 );
		$admin = $this->as_role( 'administrator' );
		$this->as_role( 'omnistock_cashier' );
		$orders = count( wc_get_orders( array( 'limit' => -1, 'return' => 'ids' ) ) );
		foreach ( array( '/quote', '/sales' ) as $route ) {
			$refused = $this->pos( 'POST', $route, $this->sale_body( array( array( $mug, 1 ) ), '10.00', array( 'customer' => $admin ) ) );
			$this->assertSame( 400, $refused->get_status(), "$route: " . wp_json_encode( $refused->get_data() ) );
			$this->assertArrayHasKey( 'customer', $refused->as_error()->get_error_data()['params'], $route );
		}
		$this->assertSame( $orders, count( wc_get_orders( array( 'limit' => -1, 'return' => 'ids' ) ) ), 'no order was made' );
		$this->assertSame( 10, $this->cell( $mug->get_id(), $this->loc[1] )['on_hand'], 'nothing was sold' );

		$this->as_role( 'shop_manager' );
		$sale = $this->pos( 'POST', '/sales', $this->sale_body( array( array( $mug, 1 ) ), '10.00', array( 'customer' => $admin ) ) );
		$this->assertSame( 201, $sale->get_status(), 'a shop manager may: ' . wp_json_encode( $sale->get_data() ) );
	}
}
