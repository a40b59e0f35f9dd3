<?php
/**
 * REST omnistock/v1/connections/<id>/sync and the connection's dead letters.
 *
 * @package Omnistock
 */

namespace Omnistock\Rest;

use Omnistock\Connectors\Connections;
use Omnistock\Connectors\Outbox;
use Omnistock\Connectors\Sync;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * POST /connections/<id>/sync runs the connection now and answers its report; POST
 * /connections/<id>/reconcile reconciles it now and answers the reconciliation's report; GET
 * /connections/<id>/dead-letters lists the changes that failed for a day; POST
 * /connections/<id>/dead-letters/<row>/retry puts one back. All for those who manage Omnistock.
 * POST /connections/<id>/sync/kick is the site's request to itself (Sync::kick): public, but
 * only a token made with the site's salt within 5 minutes runs anything.
 */
final class SyncRoutes {

	/**
	 * Takes its dependencies.
	 *
	 * @param Sync        $sync        The sync runner.
	 * @param Outbox      $outbox      The outbox.
	 * @param Connections $connections Connections.
	 */
	public function __construct( private readonly Sync $sync, private readonly Outbox $outbox, private readonly Connections $connections ) {
	}

	/**
	 * Registers the routes (on rest_api_init).
	 */
	public function register(): void {
		$id = Args::path_id( 'id' );
		register_rest_route(
			Routes::NAMESPACE,
			'/connections/(?P<id>\d+)/sync',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'sync' ),
				'permission_callback' => array( ConnectionRoutes::class, 'allowed' ),
				'args'                => $id,
			)
		);
		register_rest_route(
			Routes::NAMESPACE,
			'/connections/(?P<id>\d+)/reconcile',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'reconcile' ),
				'permission_callback' => array( ConnectionRoutes::class, 'allowed' ),
				'args'                => $id,
			)
		);
		register_rest_route(
			Routes::NAMESPACE,
			'/connections/(?P<id>\d+)/sync/kick',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'kick' ),
				'permission_callback' => array( self::class, 'kick_allowed' ),
				'args'                => $id,
			)
		);
		register_rest_route(
			Routes::NAMESPACE,
			'/connections/(?P<id>\d+)/dead-letters',
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => array( $this, 'dead_letters' ),
				'permission_callback' => array( ConnectionRoutes::class, 'allowed' ),
				'args'                => $id,
			)
		);
		register_rest_route(
			Routes::NAMESPACE,
			'/connections/(?P<id>\d+)/dead-letters/(?P<row>\d+)/retry',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'retry' ),
				'permission_callback' => array( ConnectionRoutes::class, 'allowed' ),
				'args'                => $id + Args::path_id( 'row' ),
			)
		);
	}

	/**
	 * Permission check of a kick: the site's own token.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 */
	public static function kick_allowed( WP_REST_Request $request ): bool|WP_Error {
		$body = $request->get_json_params();
		$ts   = is_array( $body ) && is_int( $body['ts'] ?? null ) ? $body['ts'] : 0;
		$sig  = is_array( $body ) && is_string( $body['token'] ?? null ) ? $body['token'] : '';
		if ( $ts > 0 && '' !== $sig && Sync::verify( (int) $request['id'], $ts, $sig ) ) {
			return true;
		}
		return new WP_Error( 'omnistock_forbidden', __( 'Sorry, this kick is not the site\'s own.', 'omnistock' ), array( 'status' => 403 ) );
	}

	/**
	 * POST /connections/<id>/sync.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function sync( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		return $this->guard( fn() => rest_ensure_response( $this->sync->run( (int) $request['id'] ) ) );
	}

	/**
	 * POST /connections/<id>/reconcile: reads the register's counts now, corrects the drift by each
	 * location's system of record, and answers the report (per cell: register, ours, drift, corrected).
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function reconcile( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		return $this->guard( fn() => rest_ensure_response( $this->sync->reconcile( (int) $request['id'] ) ) );
	}

	/**
	 * POST /connections/<id>/sync/kick: runs the connection; the sender does not wait for this.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function kick( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		ignore_user_abort( true );
		return $this->guard( fn() => new WP_REST_Response( $this->sync->run( (int) $request['id'] ), 202 ) );
	}

	/**
	 * GET /connections/<id>/dead-letters.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function dead_letters( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		return $this->guard(
			function () use ( $request ) {
				$id = (int) $request['id'];
				$this->connections->get( $id );
				return rest_ensure_response( $this->outbox->dead_letters( $id ) );
			}
		);
	}

	/**
	 * POST /connections/<id>/dead-letters/<row>/retry: due now; the connection is kicked.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function retry( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		return $this->guard(
			function () use ( $request ) {
				$id  = (int) $request['id'];
				$row = (int) $request['row'];
				$this->connections->get( $id );
				$this->outbox->retry( $id, $row );
				do_action( 'omnistock_connector_kick', $id );
				return rest_ensure_response(
					array(
						'id'     => $row,
						'status' => Outbox::PENDING,
					)
				);
			}
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
			return Failure::answer( $e, __( 'The connection could not be synchronised now; nothing was lost. Try again.', 'omnistock' ) );
		}
	}
}
