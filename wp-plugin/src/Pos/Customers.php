<?php
/**
 * WooCommerce customers at the POS: find by email, phone or name; create; their orders from
 * both channels.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

use Omnistock\Capabilities;
use Omnistock\Refusal;

defined( 'ABSPATH' ) || exit;

/**
 * Customers are WordPress users with WooCommerce's customer data (WC_Customer).
 */
final class Customers {

	public const MAX_RESULTS = 20;

	/**
	 * GET /pos/customers?search=: users with the customer role whose email, name or phone match.
	 *
	 * @param string $search Text typed by the cashier (at least 2 characters).
	 * @return list<array{id:int, name:string, email:string, phone:string}>
	 * @throws PosError When the search is too short.
	 */
	public function search( string $search ): array {
		$search = trim( sanitize_text_field( $search ) );
		if ( mb_strlen( $search ) < 2 ) {
			throw PosError::field( 'search', __( 'must be at least 2 characters', 'omnistock' ) );
		}
		$base = array(
			'role__in' => array( 'customer' ),
			'number'   => self::MAX_RESULTS,
			'fields'   => 'ID',
			'orderby'  => 'ID',
		);
		// The user table's columns (email, login, display name), then the profile and billing fields.
		$ids  = ( new \WP_User_Query(
			$base + array(
				'search'         => '*' . $search . '*',
				'search_columns' => array( 'user_email', 'user_login', 'display_name' ),
			)
		) )->get_results();
		$like = array( 'relation' => 'OR' );
		foreach ( array( 'first_name', 'last_name', 'billing_first_name', 'billing_last_name', 'billing_email', 'billing_phone' ) as $key ) {
			$like[] = array(
				'key'     => $key,
				'value'   => $search,
				'compare' => 'LIKE',
			);
		}
		$digits = preg_replace( '/\D+/', '', $search );
		if ( strlen( $digits ) >= 4 && $digits !== $search ) {
			$like[] = array(
				'key'     => 'billing_phone',
				'value'   => $digits,
				'compare' => 'LIKE',
			);
		}
		$ids = array_merge( $ids, ( new \WP_User_Query( $base + array( 'meta_query' => $like ) ) )->get_results() ); // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_query -- the cashier's search over customers' names and phones.
		// "Ada Lovelace": first and last name together.
		$words = preg_split( '/\s+/', $search );
		if ( count( $words ) >= 2 ) {
			$ids = array_merge(
				$ids,
				( new \WP_User_Query(
					$base + array(
						'meta_query' => array( // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_query
							'relation' => 'AND',
							array(
								'key'     => 'first_name',
								'value'   => $words[0],
								'compare' => 'LIKE',
							),
							array(
								'key'     => 'last_name',
								'value'   => implode( ' ', array_slice( $words, 1 ) ),
								'compare' => 'LIKE',
							),
						),
					)
				) )->get_results()
			);
		}
		$ids = array_slice( array_values( array_unique( array_map( 'intval', $ids ) ) ), 0, self::MAX_RESULTS );
		return array_map( array( self::class, 'shape' ), $ids );
	}

	/**
	 * POST /pos/customers: a new WooCommerce customer.
	 *
	 * @param array $body email (required), first_name, last_name, phone.
	 * @throws PosError Naming the bad field (PosError::field, a BadInput), or when the email is taken.
	 */
	public function create( array $body ): array {
		$email = is_string( $body['email'] ?? null ) ? sanitize_email( $body['email'] ) : '';
		if ( ! is_email( $email ) ) {
			throw PosError::field( 'email', __( 'must be an email address', 'omnistock' ) );
		}
		$fields = array();
		foreach ( array( 'first_name', 'last_name', 'phone' ) as $field ) {
			$value = $body[ $field ] ?? '';
			if ( ! is_string( $value ) || mb_strlen( $value ) > 100 ) {
				throw PosError::field( $field, __( 'must be a text of at most 100 characters', 'omnistock' ) );
			}
			$fields[ $field ] = sanitize_text_field( $value );
		}
		if ( email_exists( $email ) ) {
			throw new PosError( 'omnistock_pos_customer_exists', __( 'A customer with this email exists already: search for it.', 'omnistock' ), Refusal::Conflict, array( 'params' => array( 'email' => 'exists' ) ) );
		}
		$id = wc_create_new_customer(
			$email,
			'',
			wp_generate_password(),
			array(
				'first_name' => $fields['first_name'],
				'last_name'  => $fields['last_name'],
			)
		);
		if ( is_wp_error( $id ) ) {
			throw new PosError( 'omnistock_pos_customer', wp_strip_all_tags( $id->get_error_message() ) );
		}
		$customer = new \WC_Customer( $id );
		$customer->set_billing_first_name( $fields['first_name'] );
		$customer->set_billing_last_name( $fields['last_name'] );
		$customer->set_billing_email( $email );
		$customer->set_billing_phone( $fields['phone'] );
		$customer->save();
		return self::shape( $id );
	}

	/**
	 * GET /pos/customers/{id}/orders: the customer's latest orders, online and at the POS
	 * (including guest orders placed with their email).
	 *
	 * @param int $id Customer id.
	 * @return list<array{id:int, number:string, date:string, total:string, status:string, channel:string}>
	 * @throws PosError When there is no such customer (not found), or for a staff account asked by someone who does not manage Omnistock (forbidden).
	 */
	public function orders( int $id ): array {
		$user = get_userdata( $id );
		if ( ! $user ) {
			throw new PosError( 'omnistock_pos_no_customer', __( 'No such customer.', 'omnistock' ), Refusal::NotFound );
		}
		if ( Staff::is_account( $id ) && ! current_user_can( Capabilities::MANAGE ) ) {
			throw new PosError( 'omnistock_pos_not_a_customer', __( 'Sorry, this account is not a customer\'s.', 'omnistock' ), Refusal::Forbidden );
		}
		$query  = array(
			'limit'   => self::MAX_RESULTS,
			'orderby' => 'date',
			'order'   => 'DESC',
			'type'    => 'shop_order',
		);
		$orders = wc_get_orders( $query + array( 'customer_id' => $id ) );
		$email  = ( new \WC_Customer( $id ) )->get_billing_email();
		foreach ( array_unique( array_filter( array( $email, $user->user_email ) ) ) as $address ) {
			$orders = array_merge(
				$orders,
				wc_get_orders(
					$query + array(
						'customer_id'   => 0,
						'billing_email' => $address,
					)
				)
			);
		}
		$by_id = array();
		/**
		 * Not paginated: wc_get_orders() gives orders (type shop_order), not its page object.
		 *
		 * @var \WC_Order $order
		 */
		foreach ( $orders as $order ) {
			$by_id[ $order->get_id() ] = $order;
		}
		uasort( $by_id, static fn( $a, $b ) => array( $b->get_date_created()?->getTimestamp(), $b->get_id() ) <=> array( $a->get_date_created()?->getTimestamp(), $a->get_id() ) );
		return array_values(
			array_map(
				static fn( \WC_Order $order ): array => array(
					'id'      => $order->get_id(),
					'number'  => (string) $order->get_order_number(),
					'date'    => $order->get_date_created() ? $order->get_date_created()->format( DATE_ATOM ) : '',
					'total'   => Money::format( $order->get_total() ),
					'status'  => $order->get_status(),
					'channel' => Quote::CREATED_VIA === $order->get_created_via() ? 'pos' : 'online',
				),
				array_slice( $by_id, 0, self::MAX_RESULTS )
			)
		);
	}

	/**
	 * A customer as the POS shows it.
	 *
	 * @param int $id User id.
	 * @return array{id:int, name:string, email:string, phone:string}
	 */
	private static function shape( int $id ): array {
		$customer = new \WC_Customer( $id );
		$name     = trim( $customer->get_first_name() . ' ' . $customer->get_last_name() );
		if ( '' === $name ) {
			$name = trim( $customer->get_billing_first_name() . ' ' . $customer->get_billing_last_name() );
		}
		return array(
			'id'    => $id,
			'name'  => '' !== $name ? $name : $customer->get_display_name(),
			'email' => $customer->get_billing_email() ? $customer->get_billing_email() : $customer->get_email(),
			'phone' => $customer->get_billing_phone(),
		);
	}
}
