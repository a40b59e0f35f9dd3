<?php
/**
 * REST API omnistock/v1/pickups: the store's pickup desk, and the shopper's "I'm here".
 *
 * @package Omnistock
 */

namespace Omnistock\Rest;

use Omnistock\BadInput;
use Omnistock\Pickup\Pickups;
use Omnistock\Pickup\PickupStatus;
use Omnistock\Pos\Staff;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * The desk's routes need omnistock_use_pos (as the POS routes) and act only for the caller's
 * locations (Pos\Staff: 403 omnistock_pos_not_your_location); /arrived is public, the order key is
 * its proof (403 omnistock_pickup_wrong_key).
 */
final class PickupRoutes {

	/**
	 * Takes its dependencies.
	 *
	 * @param Pickups $pickups The pickup service.
	 * @param Staff   $staff   Who may act for which location.
	 */
	public function __construct( private readonly Pickups $pickups, private readonly Staff $staff ) {
	}

	/**
	 * Registers the routes (on rest_api_init).
	 */
	public function register(): void {
		$id     = Args::path_id( 'id' );
		$routes = array(
			'/pickups'                       => array( WP_REST_Server::READABLE, 'list', self::list_args() ),
			'/pickups/(?P<id>\d+)/preparing' => array( WP_REST_Server::CREATABLE, 'preparing', $id ),
			'/pickups/(?P<id>\d+)/ready'     => array( WP_REST_Server::CREATABLE, 'ready', $id ),
			'/pickups/(?P<id>\d+)/received'  => array( WP_REST_Server::CREATABLE, 'received', $id ),
			'/pickups/(?P<id>\d+)/collected' => array(
				WP_REST_Server::CREATABLE,
				'collected',
				$id + array(
					'code' => Args::checked(
						__( 'The shopper\'s pickup code.', 'omnistock' ),
						array(
							'type'      => 'string',
							'required'  => true,
							'maxLength' => 32,
						)
					),
				),
			),
			'/pickups/(?P<id>\d+)/cancel'    => array(
				WP_REST_Server::CREATABLE,
				'cancel',
				$id + array(
					'reason' => Args::checked(
						__( 'Why it is cancelled.', 'omnistock' ),
						array(
							'type'      => 'string',
							'required'  => true,
							'minLength' => 1,
							'maxLength' => 200,
						)
					),
				),
			),
			'/pickups/(?P<id>\d+)/reassign'  => array(
				WP_REST_Server::CREATABLE,
				'reassign',
				$id + array(
					'location' => Args::checked(
						__( 'The pickup location that takes the order over.', 'omnistock' ),
						array(
							'type'     => 'integer',
							'required' => true,
							'minimum'  => 1,
						)
					),
				),
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
		register_rest_route(
			Routes::NAMESPACE,
			'/pickups/(?P<id>\d+)/arrived',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => fn( WP_REST_Request $request ) => $this->answer( 'arrived', $request ),
				'permission_callback' => '__return_true', // The order key proves the shopper.
				'args'                => $id + array(
					'key'  => Args::checked(
						__( 'The order key from the "I\'m here" link.', 'omnistock' ),
						array(
							'type'      => 'string',
							'required'  => true,
							'maxLength' => 64,
						)
					),
					'note' => Args::checked(
						__( 'Where the shopper parked.', 'omnistock' ),
						array(
							'type'      => 'string',
							'maxLength' => 200,
						)
					),
				),
			)
		);
	}

	/**
	 * GET /pickups's arguments.
	 */
	private static function list_args(): array {
		return array(
			'location' => Args::checked(
				__( 'The pickup location.', 'omnistock' ),
				array(
					'type'     => 'integer',
					'required' => true,
					'minimum'  => 1,
				)
			),
			'status'   => Args::checked(
				__( 'Comma-separated statuses (default new,preparing,ready).', 'omnistock' ),
				array(
					'type'    => 'string',
					'pattern' => '^(new|preparing|ready|collected|cancelled)(,(new|preparing|ready|collected|cancelled))*$',
				)
			),
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
			if ( 'list' === $handler ) {
				return rest_ensure_response( $this->list( $request ) );
			}
			// One change of an order at a time; the order is loaded with its lock held.
			return rest_ensure_response( $this->pickups->locked( (int) $request['id'], fn() => $this->$handler( $request ) ) );
		} catch ( \Omnistock\Error | \Omnistock\Exception $e ) {
			return Failure::answer( $e, __( 'The pickup could not be updated. Send the same request again: what is already done is not done twice.', 'omnistock' ) );
		}
	}

	/**
	 * GET /pickups?location=&status=.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function list( WP_REST_Request $request ): array {
		$location = (int) $request['location'];
		$this->staff->check( get_current_user_id(), $location );
		$raw      = (string) ( $request['status'] ?? '' );
		$statuses = '' === $raw ? array( PickupStatus::New, PickupStatus::Preparing, PickupStatus::Ready ) : array_map( array( PickupStatus::class, 'from' ), array_unique( explode( ',', $raw ) ) );
		return $this->pickups->list( $location, $statuses );
	}

	/**
	 * The order of the path, checked: a pickup order of one of the caller's locations.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function order( WP_REST_Request $request ): \WC_Order {
		$order = $this->pickups->get( (int) $request['id'] );
		$this->staff->check( get_current_user_id(), Pickups::location_of( $order ) );
		return $order;
	}

	/**
	 * POST /pickups/<id>/preparing.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function preparing( WP_REST_Request $request ): array {
		return $this->pickups->preparing( $this->order( $request ) );
	}

	/**
	 * POST /pickups/<id>/ready.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function ready( WP_REST_Request $request ): array {
		return $this->pickups->ready( $this->order( $request ) );
	}

	/**
	 * POST /pickups/<id>/received: the units sent from another location are here.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function received( WP_REST_Request $request ): array {
		return $this->pickups->received( $this->order( $request ) );
	}

	/**
	 * POST /pickups/<id>/collected {"code"}.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function collected( WP_REST_Request $request ): array {
		return $this->pickups->collected( $this->order( $request ), trim( (string) $request['code'] ) );
	}

	/**
	 * POST /pickups/<id>/cancel {"reason"}.
	 *
	 * @param WP_REST_Request $request Request.
	 * @throws BadInput Naming `reason` when it is empty.
	 */
	private function cancel( WP_REST_Request $request ): array {
		$order  = $this->order( $request );
		$reason = sanitize_text_field( (string) $request['reason'] );
		if ( '' === $reason ) {
			throw new BadInput( 'reason', __( 'must say why', 'omnistock' ), null, 'rest_invalid_param' );
		}
		return $this->pickups->cancel( $order, $reason );
	}

	/**
	 * POST /pickups/<id>/reassign {"location"}.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function reassign( WP_REST_Request $request ): array {
		return $this->pickups->reassign( $this->order( $request ), (int) $request['location'] );
	}

	/**
	 * POST /pickups/<id>/arrived {"key", "note"}: public.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function arrived( WP_REST_Request $request ): array {
		return $this->pickups->arrived( $this->pickups->get( (int) $request['id'] ), (string) $request['key'], (string) ( $request['note'] ?? '' ) );
	}
}
