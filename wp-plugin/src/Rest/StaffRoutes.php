<?php
/**
 * REST omnistock/v1/staff/<user id>: the locations a user may act for at the POS.
 *
 * @package Omnistock
 */

namespace Omnistock\Rest;

use Omnistock\Capabilities;
use Omnistock\Error;
use Omnistock\Pos\PosError;
use Omnistock\Pos\Staff;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * GET and PUT `{"locations":[1,2]}`, for users who manage Omnistock (401 anonymous, 403 others);
 * 404 for an unknown user, 400 naming `locations` for an unknown location id.
 */
final class StaffRoutes {

	private const UNSAVED = 'The assignment could not be saved; nothing was changed. Try again.';

	/**
	 * Takes its dependencies.
	 *
	 * @param Staff $staff Who may act for which location.
	 */
	public function __construct( private readonly Staff $staff ) {
	}

	/**
	 * Registers the routes (on rest_api_init).
	 */
	public function register(): void {
		$get = Args::path_id( 'id' );
		$put = $get + array(
			'locations' => Args::described(
				__( 'The location ids the user acts for (an empty list: none).', 'omnistock' ),
				array(
					'type'  => 'array',
					'items' => array( 'type' => 'integer' ),
				)
			),
		);
		register_rest_route(
			Routes::NAMESPACE,
			'/staff/(?P<id>\d+)',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get' ),
					'permission_callback' => array( self::class, 'allowed' ),
					'args'                => $get,
				),
				array(
					'methods'             => WP_REST_Server::EDITABLE,
					'callback'            => array( $this, 'put' ),
					'permission_callback' => array( self::class, 'allowed' ),
					'args'                => $put,
				),
			)
		);
	}

	/**
	 * Permission check: the capability to manage Omnistock.
	 *
	 * @return true|WP_Error
	 */
	public static function allowed(): bool|WP_Error {
		if ( current_user_can( Capabilities::MANAGE ) ) {
			return true;
		}
		return new WP_Error(
			'omnistock_forbidden',
			__( 'Sorry, you are not allowed to assign staff to locations.', 'omnistock' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * GET /staff/<id>.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function get( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		$id = (int) $request['id'];
		return get_userdata( $id ) ? rest_ensure_response( $this->shape( $id ) ) : self::not_found();
	}

	/**
	 * PUT /staff/<id> {"locations":[1,2]}: exactly these locations.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function put( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		$id = (int) $request['id'];
		if ( ! get_userdata( $id ) ) {
			return self::not_found();
		}
		$json = $request->get_json_params();
		$body = is_array( $json ) ? $json : $request->get_body_params();
		if ( ! array_key_exists( 'locations', $body ) || ! is_array( $body['locations'] ) ) {
			return Failure::answer( PosError::field( 'locations', __( 'must be a list of location ids', 'omnistock' ) ), self::UNSAVED );
		}
		try {
			$this->staff->assign( $id, $body['locations'] );
		} catch ( Error $e ) {
			return Failure::answer( $e, self::UNSAVED );
		}
		return rest_ensure_response( $this->shape( $id ) );
	}

	/**
	 * The answer: the assigned locations, and whether the user acts for all anyway.
	 *
	 * @param int $id User id.
	 * @return array{id:int, locations:list<int>, all_locations:bool, may_act_for:list<int>}
	 */
	private function shape( int $id ): array {
		return array(
			'id'            => $id,
			'locations'     => $this->staff->assigned( $id ),
			'all_locations' => Staff::acts_everywhere( $id ),
			'may_act_for'   => $this->staff->locations_of( $id ),
		);
	}

	/**
	 * 404 for an unknown user.
	 */
	private static function not_found(): WP_Error {
		return new WP_Error( 'omnistock_no_user', __( 'No such user.', 'omnistock' ), array( 'status' => 404 ) );
	}
}
