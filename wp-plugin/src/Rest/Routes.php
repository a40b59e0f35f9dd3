<?php
/**
 * REST API omnistock/v1: locations, stock, events.
 *
 * @package Omnistock
 */

namespace Omnistock\Rest;

use Omnistock\Capabilities;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Locations;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Every route checks a capability; malformed input gets a 400 that names the field.
 */
final class Routes {

	public const NAMESPACE = 'omnistock/v1';

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The inventory service.
	 * @param Locations $locations Locations.
	 */
	public function __construct( private readonly Inventory $inventory, private readonly Locations $locations ) {
	}

	/**
	 * Registers the routes (on rest_api_init).
	 */
	public function register(): void {
		$view   = fn() => $this->allowed( Capabilities::VIEW );
		$manage = fn() => $this->allowed( Capabilities::MANAGE );
		$id     = array(
			'id' => array(
				'type'     => 'integer',
				'required' => true,
			),
		);
		register_rest_route(
			self::NAMESPACE,
			'/locations',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => fn() => rest_ensure_response( $this->locations->all() ),
					'permission_callback' => $view,
				),
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'create_location' ),
					'permission_callback' => $manage,
					'args'                => Args::location(),
				),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/locations/(?P<id>\d+)',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_location' ),
					'permission_callback' => $view,
					'args'                => $id,
				),
				array(
					'methods'             => WP_REST_Server::EDITABLE,
					'callback'            => array( $this, 'update_location' ),
					'permission_callback' => $manage,
					'args'                => $id + Args::location(),
				),
				array(
					'methods'             => WP_REST_Server::DELETABLE,
					'callback'            => array( $this, 'delete_location' ),
					'permission_callback' => $manage,
					'args'                => $id,
				),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/stock/(?P<product>\d+)',
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => fn( WP_REST_Request $r ) => rest_ensure_response( $this->inventory->stock( (int) $r['product'] ) ),
				'permission_callback' => $view,
				'args'                => array(
					'product' => array(
						'type'     => 'integer',
						'required' => true,
					),
				),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/events',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'post_events' ),
				'permission_callback' => $manage,
				'args'                => Args::events(),
			)
		);
	}

	/**
	 * Permission check: 401 for anonymous callers, 403 for users without the capability.
	 *
	 * @param string $capability Capability.
	 * @return true|WP_Error
	 */
	private function allowed( string $capability ): bool|WP_Error {
		if ( current_user_can( $capability ) ) {
			return true;
		}
		return new WP_Error(
			'omnistock_forbidden',
			__( 'Sorry, you are not allowed to do that with the inventory.', 'omnistock' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * POST /locations.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function create_location( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		return $this->guard(
			function () use ( $request ) {
				$response = new WP_REST_Response( $this->locations->create( $this->body( $request ) ), 201 );
				return $response;
			}
		);
	}

	/**
	 * GET /locations/<id>.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function get_location( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		$location = $this->locations->get( (int) $request['id'] );
		return $location ? rest_ensure_response( $location ) : $this->not_found();
	}

	/**
	 * PUT/PATCH /locations/<id>.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function update_location( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		return $this->guard(
			function () use ( $request ) {
				$location = $this->locations->update( (int) $request['id'], $this->body( $request ) );
				return $location ? rest_ensure_response( $location ) : $this->not_found();
			}
		);
	}

	/**
	 * DELETE /locations/<id>: only a location without stock and ledger.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function delete_location( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		$id       = (int) $request['id'];
		$location = $this->locations->get( $id );
		if ( ! $location ) {
			return $this->not_found();
		}
		if ( ! $this->locations->delete( $id ) ) {
			return new WP_Error( 'omnistock_location_in_use', __( 'This location holds stock or has ledger entries; it cannot be deleted.', 'omnistock' ), array( 'status' => 409 ) );
		}
		return rest_ensure_response(
			array(
				'deleted'  => true,
				'previous' => $location,
			)
		);
	}

	/**
	 * POST /events: a batch, all or nothing; replays are idempotent; the same id for another
	 * event is 422. Source, actor and reason are the caller's, as the server knows it.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function post_events( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		$body   = $request->get_json_params();
		$events = is_array( $body ) && array_key_exists( 'events', $body ) ? $body['events'] : null;
		return $this->guard(
			fn() => rest_ensure_response(
				$this->inventory->record(
					EventProducts::check( $events ),
					array(
						'source' => 'api',
						'actor'  => (string) get_current_user_id(),
						'reason' => '',
					),
					true
				)
			)
		);
	}

	/**
	 * Runs a callback; the plugin's errors become their answers (Failure).
	 *
	 * @param callable $work The work.
	 */
	private function guard( callable $work ): WP_REST_Response|WP_Error {
		try {
			return $work();
		} catch ( \Omnistock\Error | \Omnistock\Exception $e ) {
			return Failure::answer( $e, __( 'The inventory could not be updated, or only in part. Send the same request again: what is already recorded is not applied twice.', 'omnistock' ) );
		}
	}

	/**
	 * The request's fields (JSON body or form parameters).
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private function body( WP_REST_Request $request ): array {
		$json = $request->get_json_params();
		return is_array( $json ) ? $json : $request->get_body_params();
	}

	/**
	 * 404.
	 */
	private function not_found(): WP_Error {
		return new WP_Error( 'omnistock_not_found', __( 'No such location.', 'omnistock' ), array( 'status' => 404 ) );
	}
}
