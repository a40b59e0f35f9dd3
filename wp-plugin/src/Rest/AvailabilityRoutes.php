<?php
/**
 * REST: GET /omnistock/v1/availability, public: what each pickup store has of some products.
 *
 * @package Omnistock
 */

namespace Omnistock\Rest;

use Omnistock\BadInput;
use Omnistock\Pickup\Availability;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * No login: the numbers are what a product page shows. One SQL query per request (Availability).
 */
final class AvailabilityRoutes {

	/**
	 * Takes its dependency.
	 *
	 * @param Availability $availability Availability per pickup location.
	 */
	public function __construct( private readonly Availability $availability ) {
	}

	/**
	 * Registers the route (on rest_api_init).
	 */
	public function register(): void {
		register_rest_route(
			Routes::NAMESPACE,
			'/availability',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'availability' ),
					'permission_callback' => '__return_true',
					'args'                => Args::availability( Availability::MAX_PRODUCTS ),
				),
			)
		);
	}

	/**
	 * GET /availability?products=12,13[&qty=2,1].
	 *
	 * @param WP_REST_Request $request Request.
	 * @throws BadInput When qty does not give one quantity per product (answered as a 400).
	 */
	public function availability( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		try {
			$products = array_map( 'intval', explode( ',', (string) $request['products'] ) );
			$qty      = null === $request['qty'] || '' === $request['qty'] ? array() : array_map( 'intval', explode( ',', (string) $request['qty'] ) );
			if ( $qty && count( $qty ) !== count( $products ) ) {
				throw new BadInput( 'qty', __( 'must give one quantity per product', 'omnistock' ) );
			}
			$asks = array();
			foreach ( $products as $i => $product ) {
				$asks[] = array( $product, $qty[ $i ] ?? 1 );
			}
			return rest_ensure_response( $this->availability->of( $asks, 'products' ) );
		} catch ( \Omnistock\Error | \Omnistock\Exception $e ) {
			return Failure::answer( $e, __( 'Availability could not be read. Try again.', 'omnistock' ) );
		}
	}
}
