<?php
/**
 * REST API omnistock/v1/shipments: the store's fulfilment queue (ship from store).
 *
 * @package Omnistock
 */

namespace Omnistock\Rest;

use Omnistock\BadInput;
use Omnistock\Fulfilment\Shipments;
use Omnistock\Fulfilment\ShipmentStatus;
use Omnistock\Pos\Staff;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Every route needs omnistock_use_pos (as the POS and pickup routes) and acts only for the caller's
 * locations (Pos\Staff: 403 omnistock_pos_not_your_location). A change the state machine does not
 * allow is 409 omnistock_shipment_bad_transition, as the pickup routes answer; the same change twice
 * answers the shipment as it is.
 */
final class ShipmentRoutes {

	private const STATUSES = 'new|picked|packed|shipped|rejected|closed';

	/**
	 * Takes its dependencies.
	 *
	 * @param Shipments $shipments The shipments service.
	 * @param Staff     $staff     Who may act for which location.
	 */
	public function __construct( private readonly Shipments $shipments, private readonly Staff $staff ) {
	}

	/**
	 * Registers the routes (on rest_api_init).
	 */
	public function register(): void {
		$id     = Args::path_id( 'id' );
		$text   = static fn( string $description, int $max ) => Args::checked(
			$description,
			array(
				'type'      => 'string',
				'required'  => true,
				'minLength' => 1,
				'maxLength' => $max,
			)
		);
		$routes = array(
			'/shipments'                     => array(
				WP_REST_Server::READABLE,
				'list',
				array(
					'location' => Args::checked(
						__( 'The location whose shipments to list.', 'omnistock' ),
						array(
							'type'     => 'integer',
							'required' => true,
							'minimum'  => 1,
						)
					),
					'status'   => Args::checked(
						__( 'Comma-separated statuses (default new,picked,packed).', 'omnistock' ),
						array(
							'type'    => 'string',
							'pattern' => '^(' . self::STATUSES . ')(,(' . self::STATUSES . '))*$',
						)
					),
				),
			),
			'/shipments/(?P<id>\d+)/picked'  => array( WP_REST_Server::CREATABLE, 'picked', $id ),
			'/shipments/(?P<id>\d+)/packed'  => array( WP_REST_Server::CREATABLE, 'packed', $id ),
			'/shipments/(?P<id>\d+)/shipped' => array(
				WP_REST_Server::CREATABLE,
				'shipped',
				$id + array(
					'carrier'  => $text( __( 'The carrier that takes the parcel.', 'omnistock' ), 100 ),
					'tracking' => $text( __( 'The carrier\'s tracking number.', 'omnistock' ), 100 ),
				),
			),
			'/shipments/(?P<id>\d+)/reject'  => array(
				WP_REST_Server::CREATABLE,
				'reject',
				$id + array( 'reason' => $text( __( 'Why the store cannot fulfil it (damaged, not found on the shelf).', 'omnistock' ), 200 ) ),
			),
		);
		foreach ( $routes as $route => $h ) {
			register_rest_route(
				Routes::NAMESPACE,
				$route,
				array(
					'methods'             => $h[0],
					'callback'            => fn( WP_REST_Request $request ) => $this->answer( $h[1], $request ),
					'permission_callback' => array( PosRoutes::class, 'allowed' ),
					'args'                => $h[2],
				)
			);
		}
	}

	/**
	 * Runs a handler; the plugin's errors become their answers (Failure).
	 *
	 * @param string          $handler Method name.
	 * @param WP_REST_Request $request Request.
	 */
	private function answer( string $handler, WP_REST_Request $request ): WP_REST_Response|WP_Error {
		try {
			if ( 'list' === $handler ) {
				$location = (int) $request['location'];
				$this->staff->check( get_current_user_id(), $location );
				$raw      = (string) ( $request['status'] ?? '' );
				$statuses = '' === $raw ? array( ShipmentStatus::New, ShipmentStatus::Picked, ShipmentStatus::Packed ) : array_map( array( ShipmentStatus::class, 'from' ), array_unique( explode( ',', $raw ) ) );
				return rest_ensure_response( $this->shipments->list( $location, $statuses ) );
			}
			$id = (int) $request['id'];
			$this->staff->check( get_current_user_id(), (int) $this->shipments->get( $id )['location_id'] );
			// One change of an order's shipments at a time; the shipment is read again with the lock held.
			return rest_ensure_response( $this->shipments->locked( $this->shipments->order_id( $id ), fn() => $this->$handler( $id, $request ) ) );
		} catch ( \Omnistock\Error | \Omnistock\Exception $e ) {
			return Failure::answer( $e, __( 'The shipment could not be updated. Send the same request again: what is already done is not done twice.', 'omnistock' ) );
		}
	}

	/**
	 * POST /shipments/<id>/picked.
	 *
	 * @param int             $id      Shipment id.
	 * @param WP_REST_Request $request Request.
	 */
	private function picked( int $id, WP_REST_Request $request ): array { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundAfterLastUsed -- every handler takes the request.
		return $this->shipments->picked( $id );
	}

	/**
	 * POST /shipments/<id>/packed.
	 *
	 * @param int             $id      Shipment id.
	 * @param WP_REST_Request $request Request.
	 */
	private function packed( int $id, WP_REST_Request $request ): array { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundAfterLastUsed -- every handler takes the request.
		return $this->shipments->packed( $id );
	}

	/**
	 * POST /shipments/<id>/shipped {"carrier", "tracking"}.
	 *
	 * @param int             $id      Shipment id.
	 * @param WP_REST_Request $request Request.
	 */
	private function shipped( int $id, WP_REST_Request $request ): array {
		return $this->shipments->shipped( $id, self::text( $request, 'carrier' ), self::text( $request, 'tracking' ) );
	}

	/**
	 * POST /shipments/<id>/reject {"reason"}.
	 *
	 * @param int             $id      Shipment id.
	 * @param WP_REST_Request $request Request.
	 */
	private function reject( int $id, WP_REST_Request $request ): array {
		return $this->shipments->reject( $id, self::text( $request, 'reason' ) );
	}

	/**
	 * A text field, sanitized and not empty.
	 *
	 * @param WP_REST_Request $request Request.
	 * @param string          $field   Its name.
	 * @throws BadInput Naming the field when it is empty once sanitized.
	 */
	private static function text( WP_REST_Request $request, string $field ): string {
		$value = sanitize_text_field( (string) $request[ $field ] );
		if ( '' === $value ) {
			throw new BadInput( $field, __( 'must not be empty', 'omnistock' ), null, 'rest_invalid_param' );
		}
		return $value;
	}
}
