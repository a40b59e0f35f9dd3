<?php
/**
 * REST API omnistock/v1/pos/*: the POS terminal's server side.
 *
 * @package Omnistock
 */

namespace Omnistock\Rest;

use Omnistock\Capabilities;
use Omnistock\Inventory\Locations;
use Omnistock\Pos\Catalogue;
use Omnistock\Pos\Customers;
use Omnistock\Pos\Input;
use Omnistock\Pos\PosError;
use Omnistock\Pos\Quote;
use Omnistock\Pos\RateLimit;
use Omnistock\Pos\Returns;
use Omnistock\Pos\Sales;
use Omnistock\Pos\Staff;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Every route needs omnistock_use_pos (401 anonymous, 403 without it) and acts only for the
 * caller's locations (Pos\Staff, 403 otherwise); bad input is a 400 that names the field.
 */
final class PosRoutes {

	/**
	 * Takes its dependencies.
	 *
	 * @param Locations $locations Locations.
	 * @param Catalogue $catalogue The catalogue.
	 * @param Quote     $quote     Cart totals through WooCommerce.
	 * @param Sales     $sales     Sales.
	 * @param Customers $customers Customers.
	 * @param Staff     $staff     Who may act for which location.
	 * @param Returns   $returns   Returns at the counter.
	 */
	public function __construct(
		private readonly Locations $locations,
		private readonly Catalogue $catalogue,
		private readonly Quote $quote,
		private readonly Sales $sales,
		private readonly Customers $customers,
		private readonly Staff $staff,
		private readonly Returns $returns
	) {
	}

	/**
	 * Registers the routes (on rest_api_init).
	 */
	public function register(): void {
		$routes = array(
			'/pos/catalogue'                    => array( WP_REST_Server::READABLE, 'catalogue', Args::catalogue( Catalogue::MAX_PER_PAGE ) ),
			'/pos/stock'                        => array( WP_REST_Server::READABLE, 'stock', Args::pos_stock() ),
			'/pos/locations'                    => array( WP_REST_Server::READABLE, 'locations' ),
			'/pos/quote'                        => array( WP_REST_Server::CREATABLE, 'quote', Args::cart( Quote::MAX_LINES ) ),
			'/pos/sales'                        => array( WP_REST_Server::CREATABLE, 'sale', Args::sale( Quote::MAX_LINES ) ),
			'/pos/customers'                    => array(
				array( WP_REST_Server::READABLE, 'search_customers', Args::customer_search() ),
				array( WP_REST_Server::CREATABLE, 'create_customer', Args::customer() ),
			),
			'/pos/customers/(?P<id>\d+)/orders' => array( WP_REST_Server::READABLE, 'customer_orders', Args::path_id( 'id' ) ),
			'/pos/orders'                       => array( WP_REST_Server::READABLE, 'find_orders', Args::order_search() ),
			'/pos/orders/(?P<id>\d+)'           => array( WP_REST_Server::READABLE, 'returnable_order', Args::path_id( 'id' ) ),
			'/pos/returns'                      => array( WP_REST_Server::CREATABLE, 'take_return', Args::pos_return( Returns::MAX_LINES ) ),
		);
		foreach ( $routes as $route => $handlers ) {
			$handlers = is_array( $handlers[0] ) ? $handlers : array( $handlers );
			register_rest_route(
				Routes::NAMESPACE,
				$route,
				array_map(
					fn( array $h ) => array(
						'methods'             => $h[0],
						'callback'            => fn( WP_REST_Request $request ) => $this->answer( $h[1], $request ),
						'permission_callback' => array( self::class, 'allowed' ),
						'args'                => $h[2] ?? array(),
					),
					$handlers
				)
			);
		}
	}

	/**
	 * Permission check of every POS route: 401 for anonymous callers, 403 without the capability.
	 *
	 * @return true|WP_Error
	 */
	public static function allowed(): bool|WP_Error {
		if ( current_user_can( Capabilities::USE_POS ) ) {
			return true;
		}
		return new WP_Error(
			'omnistock_forbidden',
			__( 'Sorry, you are not allowed to use the POS terminal.', 'omnistock' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * Runs a handler; the plugin's errors become their answers (Failure).
	 *
	 * @param string          $handler Method name.
	 * @param WP_REST_Request $request Request.
	 */
	private function answer( string $handler, WP_REST_Request $request ): WP_REST_Response|WP_Error {
		try {
			$answer = $this->$handler( $request );
			return $answer instanceof WP_REST_Response ? $answer : rest_ensure_response( $answer );
		} catch ( \Omnistock\Error | \Omnistock\Exception $e ) {
			return Failure::answer( $e, __( 'The inventory could not be updated, or only in part. Send the same request again: what is already recorded is not done twice.', 'omnistock' ) );
		}
	}

	/**
	 * GET /pos/catalogue?location=ID&page=N&per_page=M.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function catalogue( WP_REST_Request $request ): array {
		$location = $this->location( $request['location'] );
		$page     = Input::integer( $request['page'] ?? 1, 'page', 1, PHP_INT_MAX );
		$per_page = Input::integer( $request['per_page'] ?? Catalogue::MAX_PER_PAGE, 'per_page', 1, Catalogue::MAX_PER_PAGE );
		return $this->catalogue->page( $location, $page, $per_page );
	}

	/**
	 * GET /pos/stock?location=ID&products=1,2,3.
	 *
	 * @param WP_REST_Request $request Request.
	 * @throws PosError When the product list is malformed (PosError::field, a BadInput).
	 */
	private function stock( WP_REST_Request $request ): object {
		$location = $this->location( $request['location'] );
		$raw      = (string) ( $request['products'] ?? '' );
		if ( ! preg_match( '/^\d+(,\d+){0,199}$/', $raw ) ) {
			throw PosError::field( 'products', __( 'must be a comma-separated list of at most 200 product ids', 'omnistock' ) );
		}
		return (object) $this->catalogue->stock( array_values( array_unique( array_map( 'intval', explode( ',', $raw ) ) ) ), $location );
	}

	/**
	 * GET /pos/locations: the terminal's picker.
	 */
	private function locations(): array {
		$mine = $this->staff->locations_of( get_current_user_id() );
		return array_map(
			static fn( array $l ): array => array(
				'id'            => $l['id'],
				'name'          => $l['name'],
				'address'       => $l['address'],
				'country'       => $l['country'],
				'state'         => $l['state'],
				'postcode'      => $l['postcode'],
				'city'          => $l['city'],
				'offers_pickup' => $l['offers_pickup'],
				'ships_online'  => $l['ships_online'],
			),
			array_values( array_filter( $this->locations->all(), static fn( array $l ): bool => in_array( (int) $l['id'], $mine, true ) ) )
		);
	}

	/**
	 * POST /pos/quote.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function quote( WP_REST_Request $request ): array {
		$body = self::body( $request );
		$this->location( $body['location'] ?? null );
		return $this->quote->quote( $body );
	}

	/**
	 * POST /pos/sales: 201 for a new sale, 200 with the same body for a repeated id.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function sale( WP_REST_Request $request ): WP_REST_Response {
		$body = self::body( $request );
		$this->location( $body['location'] ?? null );
		$sale = $this->sales->sell( $body );
		return new WP_REST_Response( $sale, $sale['created'] ? 201 : 200 );
	}

	/**
	 * GET /pos/customers?search=.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function search_customers( WP_REST_Request $request ): array {
		return $this->customers->search( is_string( $request['search'] ) ? $request['search'] : '' );
	}

	/**
	 * POST /pos/customers.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function create_customer( WP_REST_Request $request ): WP_REST_Response {
		RateLimit::take( RateLimit::CUSTOMER_CREATE, get_current_user_id() );
		return new WP_REST_Response( $this->customers->create( self::body( $request ) ), 201 );
	}

	/**
	 * GET /pos/customers/{id}/orders.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function customer_orders( WP_REST_Request $request ): array {
		return $this->customers->orders( (int) $request['id'] );
	}

	/**
	 * GET /pos/orders?number=: the order of that number (none or one), as the return screen shows it.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function find_orders( WP_REST_Request $request ): array {
		return $this->returns->find( $request['number'] );
	}

	/**
	 * GET /pos/orders/{id}: an order with what may still be returned of it.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function returnable_order( WP_REST_Request $request ): array {
		return $this->returns->order( (int) $request['id'] );
	}

	/**
	 * POST /pos/returns: 201 for a new return, 200 with the same body for a repeated id.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function take_return( WP_REST_Request $request ): WP_REST_Response {
		$body = self::body( $request );
		$this->location( $body['location'] ?? null );
		$answer = $this->returns->create( $body );
		return new WP_REST_Response( $answer, $answer['created'] ? 201 : 200 );
	}

	/**
	 * A location id given by the client, checked: it exists and is one of the caller's.
	 *
	 * @param mixed $value Input.
	 * @throws PosError When it names no location (PosError::field, a BadInput) or not one of the caller's (forbidden).
	 */
	private function location( mixed $value ): int {
		$id = Input::integer( $value, 'location', 1, PHP_INT_MAX );
		if ( null === $this->locations->get( $id ) ) {
			throw PosError::field( 'location', __( 'no such location', 'omnistock' ) );
		}
		$this->staff->check( get_current_user_id(), $id );
		return $id;
	}

	/**
	 * The JSON body (or form fields).
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private static function body( WP_REST_Request $request ): array {
		$json = $request->get_json_params();
		return is_array( $json ) ? $json : $request->get_body_params();
	}
}
