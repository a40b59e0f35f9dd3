<?php
/**
 * REST API omnistock/v1/orders/<id>/route: where an online order's lines ship from, and re-routing them.
 *
 * @package Omnistock
 */

namespace Omnistock\Rest;

use Omnistock\BadInput;
use Omnistock\Capabilities;
use Omnistock\WooCommerce\OrderRouting;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * GET lists each line's location(s); POST {"location": <id>} moves the whole order there,
 * POST {"lines": {"<item id>": <location id>}} the lines named, all or nothing. Both need the
 * capability to manage the inventory and WooCommerce's to edit orders.
 */
final class OrderRouteRoutes {

	/**
	 * Takes its dependency.
	 *
	 * @param OrderRouting $routing The routing service.
	 */
	public function __construct( private readonly OrderRouting $routing ) {
	}

	/**
	 * Registers the route (on rest_api_init).
	 */
	public function register(): void {
		register_rest_route(
			Routes::NAMESPACE,
			'/orders/(?P<id>\d+)/route',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => fn( WP_REST_Request $request ) => $this->answer( $request, false ),
					'permission_callback' => array( self::class, 'allowed' ),
					'args'                => Args::path_id( 'id' ),
				),
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => fn( WP_REST_Request $request ) => $this->answer( $request, true ),
					'permission_callback' => array( self::class, 'allowed' ),
					'args'                => Args::path_id( 'id' ) + array(
						'location' => Args::checked(
							__( 'Move every line of the order to this location (one that ships online orders).', 'omnistock' ),
							array(
								'type'    => 'integer',
								'minimum' => 1,
							)
						),
						'lines'    => Args::described(
							__( 'Move these lines: order item id => location id.', 'omnistock' ),
							array( 'type' => 'object' )
						),
					),
				),
			)
		);
	}

	/**
	 * Permission check: the inventory's managers who may edit orders.
	 *
	 * @return true|WP_Error
	 */
	public static function allowed(): bool|WP_Error {
		if ( current_user_can( Capabilities::MANAGE ) && current_user_can( 'edit_shop_orders' ) ) {
			return true;
		}
		return new WP_Error( 'omnistock_forbidden', __( 'Sorry, you are not allowed to route orders.', 'omnistock' ), array( 'status' => rest_authorization_required_code() ) );
	}

	/**
	 * GET or POST, the plugin's errors as their answers.
	 *
	 * @param WP_REST_Request $request Request.
	 * @param bool            $change  POST.
	 */
	private function answer( WP_REST_Request $request, bool $change ): WP_REST_Response|WP_Error {
		try {
			$id = (int) $request['id'];
			if ( ! $change ) {
				return rest_ensure_response( $this->routing->routes( $this->routing->get( $id ) ) );
			}
			list( $targets, $field ) = self::targets( $request );
			return rest_ensure_response( $this->routing->locked( $id, fn() => $this->routing->reroute( $this->routing->get( $id ), $targets, $field ) ) );
		} catch ( \Omnistock\Error | \Omnistock\Exception $e ) {
			return Failure::answer( $e, __( 'The order could not be re-routed; nothing was moved. Try again.', 'omnistock' ) );
		}
	}

	/**
	 * The body's targets: item id => location id, and the field they came from.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return array{0: array<int, int>, 1: string}
	 * @throws BadInput When neither or both of location and lines are given, or a line is malformed.
	 */
	private function targets( WP_REST_Request $request ): array {
		$location = $request['location'];
		$lines    = $request['lines'];
		if ( ( null === $location ) === ( null === $lines ) ) {
			throw new BadInput( 'location', __( 'give either location (the whole order) or lines (item id => location id)', 'omnistock' ), null, 'rest_invalid_param' );
		}
		if ( null !== $location ) {
			$order = $this->routing->get( (int) $request['id'] );
			return array( array_fill_keys( array_keys( \Omnistock\WooCommerce\OrderStock::lines( $order ) ), (int) $location ), 'location' );
		}
		if ( ! is_array( $lines ) || ! $lines ) {
			throw new BadInput( 'lines', __( 'must be an object of order item id => location id', 'omnistock' ), null, 'rest_invalid_param' );
		}
		$targets = array();
		foreach ( $lines as $item => $to ) {
			if ( ! ( is_int( $item ) || ctype_digit( (string) $item ) ) || ! ( is_int( $to ) || ( is_string( $to ) && ctype_digit( $to ) ) ) ) {
				throw new BadInput( "lines.$item", __( 'must be a location id', 'omnistock' ), null, 'rest_invalid_param' );
			}
			$targets[ (int) $item ] = (int) $to;
		}
		return array( $targets, 'lines' );
	}
}
