<?php
/**
 * REST omnistock/v1 of the POS drawer: sessions, pay in/out, close, reports, receipt e-mail.
 *
 * @package Omnistock
 */

namespace Omnistock\Rest;

use Omnistock\Pos\Drawer;
use Omnistock\Pos\DrawerRefused;
use Omnistock\Pos\InvalidInput;
use Omnistock\Pos\PosError;
use Omnistock\Pos\RateLimit;
use Omnistock\Pos\Receipts;
use Omnistock\Pos\Reports;
use Omnistock\Pos\Staff;
use Omnistock\Refusal;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Every route needs `omnistock_use_pos` (PosRoutes::allowed): 401 for anonymous callers, 403 for users without it;
 * and acts only for the caller's locations (Pos\Staff: a session's, a sale's location), 403 otherwise.
 * Money is a decimal string with the shop's decimals.
 */
final class PosDrawerRoutes {

	/**
	 * Takes its dependencies.
	 *
	 * @param Drawer   $drawer   Drawer sessions.
	 * @param Reports  $reports  Day reports.
	 * @param Receipts $receipts Receipts.
	 * @param Staff    $staff    Who may act for which location.
	 */
	public function __construct( private readonly Drawer $drawer, private readonly Reports $reports, private readonly Receipts $receipts, private readonly Staff $staff ) {
	}

	/**
	 * Registers the routes (on rest_api_init).
	 */
	public function register(): void {
		$pos    = array( PosRoutes::class, 'allowed' ); // One check for every POS route: omnistock_use_pos.
		$args   = Args::drawer();
		$routes = array(
			'/pos/sessions'                       => array( WP_REST_Server::CREATABLE, 'open', $args['open'] ),
			'/pos/sessions/current'               => array( WP_REST_Server::READABLE, 'current', $args['current'] ),
			'/pos/sessions/(?P<id>\d+)/movements' => array( WP_REST_Server::CREATABLE, 'move', $args['move'] ),
			'/pos/sessions/(?P<id>\d+)/close'     => array( WP_REST_Server::CREATABLE, 'close', $args['close'] ),
			'/pos/sessions/(?P<id>\d+)/report'    => array( WP_REST_Server::READABLE, 'report', $args['report'] ),
			'/pos/reports/day'                    => array( WP_REST_Server::READABLE, 'day', $args['day'] ),
			'/pos/sales/(?P<order>\d+)/email'     => array( WP_REST_Server::CREATABLE, 'email', $args['email'] ),
		);
		foreach ( $routes as $route => list( $methods, $callback, $args ) ) {
			register_rest_route(
				Routes::NAMESPACE,
				$route,
				array(
					'methods'             => $methods,
					'callback'            => array( $this, $callback ),
					'permission_callback' => $pos,
					'args'                => $args,
				)
			);
		}
	}

	/**
	 * POST /pos/sessions {location, float}.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function open( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		$body = self::body( $request );
		return $this->guard( fn() => new WP_REST_Response( $this->drawer->open( $this->mine( $this->drawer->location( $body['location'] ?? null ) ), $body['float'] ?? null, get_current_user_id() ), 201 ) );
	}

	/**
	 * GET /pos/sessions/current?location=ID.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function current( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		return $this->guard(
			function () use ( $request ) {
				$session = $this->drawer->current( $this->mine( $this->drawer->location( $request->get_param( 'location' ) ) ) );
				if ( ! $session ) {
					throw new DrawerRefused( 'omnistock_pos_no_session', __( 'No drawer session is open at this location.', 'omnistock' ), Refusal::NotFound );
				}
				return rest_ensure_response( $session );
			}
		);
	}

	/**
	 * POST /pos/sessions/{id}/movements {type, amount, note}.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function move( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		$body = self::body( $request );
		return $this->guard( fn() => new WP_REST_Response( $this->drawer->move( $this->session_of_mine( (int) $request['id'] ), $body['type'] ?? null, $body['amount'] ?? null, $body['note'] ?? '', get_current_user_id() ), 201 ) );
	}

	/**
	 * POST /pos/sessions/{id}/close {counted}.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function close( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		$body = self::body( $request );
		return $this->guard( fn() => rest_ensure_response( $this->drawer->close( $this->session_of_mine( (int) $request['id'] ), $body['counted'] ?? null, get_current_user_id() ) ) );
	}

	/**
	 * GET /pos/sessions/{id}/report.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function report( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		return $this->guard( fn() => rest_ensure_response( $this->drawer->report( $this->session_of_mine( (int) $request['id'] ) ) ) );
	}

	/**
	 * GET /pos/reports/day?location=ID&date=YYYY-MM-DD.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function day( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		return $this->guard( fn() => rest_ensure_response( $this->reports->day( $this->mine( $this->drawer->location( $request->get_param( 'location' ) ) ), $request->get_param( 'date' ) ) ) );
	}

	/**
	 * POST /pos/sales/{order}/email {email?}.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function email( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		$body = self::body( $request );
		return $this->guard(
			function () use ( $request, $body ) {
				$order = Receipts::pos_order( (int) $request['order'] );
				if ( ! $order ) {
					throw new DrawerRefused( 'omnistock_pos_sale_not_found', __( 'No such POS sale.', 'omnistock' ), Refusal::NotFound );
				}
				$this->mine( (int) $order->get_meta( Drawer::LOCATION_META ) );
				RateLimit::take( RateLimit::RECEIPT_EMAIL, get_current_user_id() );
				$email = $body['email'] ?? null;
				if ( null !== $email && ! is_string( $email ) ) {
					throw new InvalidInput( 'email', __( 'email must be an e-mail address.', 'omnistock' ) );
				}
				return rest_ensure_response(
					array(
						'sent' => true,
						'to'   => $this->receipts->email( $order, null === $email ? null : trim( $email ) ),
					)
				);
			}
		);
	}

	/**
	 * A location the caller may act for.
	 *
	 * @param int $location Location id.
	 * @throws PosError 403 when it is not one of the caller's.
	 */
	private function mine( int $location ): int {
		$this->staff->check( get_current_user_id(), $location );
		return $location;
	}

	/**
	 * A drawer session of one of the caller's locations (an unknown id is left to the handler's 404).
	 *
	 * @param int $session Session id.
	 * @throws PosError 403 when it is another location's.
	 */
	private function session_of_mine( int $session ): int {
		$row = $this->drawer->get( $session );
		if ( null !== $row ) {
			$this->mine( (int) $row['location'] );
		}
		return $session;
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
			return Failure::answer( $e, __( 'The drawer could not be updated; nothing was changed. Try again.', 'omnistock' ) );
		}
	}

	/**
	 * The request's fields (JSON body or form parameters).
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private static function body( WP_REST_Request $request ): array {
		$json = $request->get_json_params();
		return is_array( $json ) ? $json : $request->get_body_params();
	}
}
