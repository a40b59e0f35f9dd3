<?php
/**
 * REST omnistock/v1/connections (external POS connections, their maps and health) and
 * omnistock/v1/hooks/<id> (their webhooks).
 *
 * @package Omnistock
 */

namespace Omnistock\Rest;

use Omnistock\BadInput;
use Omnistock\Capabilities;
use Omnistock\Connectors\Connection;
use Omnistock\Connectors\Connections;
use Omnistock\Connectors\Health;
use Omnistock\Connectors\Inbox;
use Omnistock\Connectors\Providers;
use Omnistock\Error;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * The connection routes need the capability to manage Omnistock; no answer carries a secret.
 * The hooks route is public: what proves a delivery is its signature, checked before anything is
 * written (401 with nothing stored); a body over 1 MiB is 413 before that; a verified body that is
 * not a JSON object is 400; a verified delivery is kept once (200 stored, or 200 duplicate) and the
 * connection's sync is kicked (the action omnistock_connector_kick).
 */
final class ConnectionRoutes {

	public const MAX_BODY = 1048576;

	/**
	 * Takes its dependencies.
	 *
	 * @param Connections $connections The connections.
	 * @param Inbox       $inbox       The webhook inbox.
	 * @param Health      $health      Their health.
	 */
	public function __construct( private readonly Connections $connections, private readonly Inbox $inbox, private readonly Health $health ) {
	}

	/**
	 * Registers the routes (on rest_api_init).
	 */
	public function register(): void {
		$manage = array( self::class, 'allowed' );
		$id     = Args::path_id( 'id' );
		$text   = fn( string $description, int $max ) => Args::described(
			$description,
			array(
				'type'      => 'string',
				'maxLength' => $max,
			)
		);
		register_rest_route(
			Routes::NAMESPACE,
			'/connections',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => fn() => rest_ensure_response( $this->list_public() ),
					'permission_callback' => $manage,
				),
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'create' ),
					'permission_callback' => $manage,
					'args'                => array(
						'provider'       => Args::described(
							__( 'The provider: square, shopify, clover or standard.', 'omnistock' ),
							array(
								'type' => 'string',
								'enum' => Providers::NAMES,
							)
						),
						'name'           => $text( __( 'The owner\'s name for the connection.', 'omnistock' ), 191 ),
						'api_base'       => $text( __( 'The provider\'s API base URL.', 'omnistock' ), 500 ),
						'credentials'    => Args::described( __( 'Provider credentials (stored sealed, never shown again): Square and Shopify access_token, Clover access_token and merchant_id, Standard token.', 'omnistock' ), array( 'type' => 'object' ) ),
						'webhook_secret' => $text( __( 'The secret the provider signs its webhooks with (stored sealed, never shown again).', 'omnistock' ), 1000 ),
						'settings'       => Args::described( __( 'Settings that are not secret (webhook_url: the URL the provider was given, when not this site\'s own).', 'omnistock' ), array( 'type' => 'object' ) ),
					),
				),
			)
		);
		register_rest_route(
			Routes::NAMESPACE,
			'/connections/(?P<id>\d+)',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => fn( WP_REST_Request $r ) => $this->guard( fn() => rest_ensure_response( $this->health->of( (int) $r['id'] ) ) ),
					'permission_callback' => $manage,
					'args'                => $id,
				),
				array(
					'methods'             => WP_REST_Server::DELETABLE,
					'callback'            => array( $this, 'delete' ),
					'permission_callback' => $manage,
					'args'                => $id,
				),
			)
		);
		foreach ( array( 'locations', 'items' ) as $map ) {
			register_rest_route(
				Routes::NAMESPACE,
				'/connections/(?P<id>\d+)/' . $map,
				array(
					array(
						'methods'             => WP_REST_Server::READABLE,
						'callback'            => fn( WP_REST_Request $r ) => $this->guard( fn() => rest_ensure_response( $this->map( $map, (int) $r['id'] ) ) ),
						'permission_callback' => $manage,
						'args'                => $id,
					),
					array(
						'methods'             => 'PUT',
						'callback'            => fn( WP_REST_Request $r ) => $this->put_map( $map, $r ),
						'permission_callback' => $manage,
						'args'                => $id,
					),
				)
			);
		}
		// Public: the signature is the proof. No args: the path's id is read from the URL only (a
		// JSON body may carry an "id" of its own), and the raw body is the callback's to judge.
		register_rest_route(
			Routes::NAMESPACE,
			'/hooks/(?P<connection>\d+)',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'hook' ),
				'permission_callback' => '__return_true',
			)
		);
		// WordPress refuses a body that is not JSON (with a JSON content type) before the callback:
		// a webhook's signature is checked first, so an unverified one is a 401 whatever its body.
		add_filter( 'rest_request_before_callbacks', array( self::class, 'let_the_hook_judge' ), 10, 3 );
	}

	/**
	 * Permission check: the capability to manage Omnistock (401 anonymous, 403 others).
	 *
	 * @return true|WP_Error
	 */
	public static function allowed(): bool|WP_Error {
		if ( current_user_can( Capabilities::MANAGE ) ) {
			return true;
		}
		return new WP_Error(
			'omnistock_forbidden',
			__( 'Sorry, you are not allowed to manage connections.', 'omnistock' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * The hooks route judges its body itself: WordPress's rest_invalid_json is dropped for it.
	 *
	 * @param mixed           $response What WordPress would answer (an error), or null.
	 * @param array           $handler  The route's handler.
	 * @param WP_REST_Request $request  The request.
	 * @return mixed
	 */
	public static function let_the_hook_judge( mixed $response, array $handler, WP_REST_Request $request ): mixed {
		if ( $response instanceof WP_Error && 'rest_invalid_json' === $response->get_error_code() && preg_match( '#^/' . preg_quote( Routes::NAMESPACE, '#' ) . '/hooks/\d+$#', $request->get_route() ) ) {
			return null;
		}
		return $response;
	}

	/**
	 * POST /connections: 201 {id, webhook_url, ...} (no secret).
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function create( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		$body = $request->get_json_params();
		$body = is_array( $body ) ? $body : $request->get_body_params();
		return $this->guard(
			function () use ( $body ): WP_REST_Response {
				foreach ( array( 'provider', 'name', 'api_base', 'webhook_secret' ) as $field ) {
					if ( ! is_string( $body[ $field ] ?? null ) ) {
						throw new BadInput( $field, __( 'is required, as a string', 'omnistock' ) );
					}
				}
				$credentials = $body['credentials'] ?? array();
				$settings    = $body['settings'] ?? array();
				if ( ! is_array( $credentials ) ) {
					throw new BadInput( 'credentials', __( 'must be an object of strings', 'omnistock' ) );
				}
				if ( ! is_array( $settings ) ) {
					throw new BadInput( 'settings', __( 'must be an object', 'omnistock' ) );
				}
				$connection = $this->connections->create( $body['provider'], $body['name'], $body['api_base'], $credentials, $body['webhook_secret'], $settings );
				return new WP_REST_Response( $this->public( $connection ), 201 );
			}
		);
	}

	/**
	 * DELETE /connections/<id>.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function delete( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		$id = (int) $request['id'];
		return $this->guard(
			function () use ( $id ): WP_REST_Response {
				$this->connections->delete( $id );
				return rest_ensure_response(
					array(
						'deleted' => true,
						'id'      => $id,
					)
				);
			}
		);
	}

	/**
	 * PUT /connections/<id>/locations or /items: the whole map, as a JSON object.
	 *
	 * @param string          $map     locations or items.
	 * @param WP_REST_Request $request Request.
	 */
	public function put_map( string $map, WP_REST_Request $request ): WP_REST_Response|WP_Error {
		$id   = (int) $request['id'];
		$body = $request->get_json_params();
		return $this->guard(
			function () use ( $map, $id, $body, $request ): WP_REST_Response {
				if ( ! is_array( $body ) || ! str_starts_with( ltrim( $request->get_body() ), '{' ) ) {
					throw new BadInput( $map, __( 'must be a JSON object: the provider\'s id => ours', 'omnistock' ) );
				}
				if ( 'locations' === $map ) {
					$this->connections->set_locations( $id, $body );
				} else {
					$this->connections->set_items( $id, $body );
				}
				return rest_ensure_response( $this->map( $map, $id ) );
			}
		);
	}

	/**
	 * POST /hooks/<connection>: a provider's webhook.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public function hook( WP_REST_Request $request ): WP_REST_Response|WP_Error {
		$body = $request->get_body();
		if ( strlen( $body ) > self::MAX_BODY ) {
			return new WP_Error( 'omnistock_webhook_too_large', __( 'The webhook\'s body is larger than 1 MiB.', 'omnistock' ), array( 'status' => 413 ) );
		}
		$url = $request->get_url_params();
		try {
			$connection = $this->connections->get( (int) ( $url['connection'] ?? 0 ) );
		} catch ( Error $e ) {
			return Failure::answer( $e, __( 'The webhook could not be received. The provider sends it again.', 'omnistock' ) );
		}
		$headers = self::headers( $request );
		$reason  = $this->unverified( $connection, $headers, $body, $verified_id );
		if ( null !== $reason ) {
			return new WP_Error(
				'omnistock_webhook_unverified',
				__( 'The webhook\'s signature does not verify; nothing was kept.', 'omnistock' ),
				array(
					'status' => 401,
					'reason' => $reason,
				)
			);
		}
		$stored = $this->guard( fn() => $this->inbox->store( $connection, $headers, $body, $verified_id ) );
		if ( $stored instanceof WP_Error ) {
			return $stored;
		}
		/**
		 * A connection has work: a webhook was kept (Connectors\Sync runs it soon).
		 *
		 * @param int $id Connection id.
		 */
		do_action( 'omnistock_connector_kick', $connection->id );
		return rest_ensure_response( array( 'status' => $stored['status'] ) );
	}

	/**
	 * Why a delivery does not verify, or null when it does ($verified_id receives its signed id).
	 *
	 * @param Connection            $connection  The connection.
	 * @param array<string, string> $headers     Lower-case names.
	 * @param string                $body        The raw body.
	 * @param string|null           $verified_id Receives the id Omnistock\Webhook read.
	 */
	private function unverified( Connection $connection, array $headers, string $body, ?string &$verified_id ): ?string {
		$verified_id = null;
		try {
			$provider = Providers::get( $connection->provider );
			$verified = \Omnistock\Webhook::verify(
				$provider->scheme(),
				$headers,
				$body,
				array( $connection->webhook_secret ),
				$provider->verify_options( Connections::webhook_url( $connection ) ) + array( 'max_bytes' => self::MAX_BODY )
			);
		} catch ( \Omnistock\SignatureException $e ) {
			return $e->reason->name;
		} catch ( \ValueError | \Omnistock\Error $e ) {
			return 'Configuration'; // The stored secret is not one the scheme takes: nothing verifies.
		}
		$verified_id = $verified->id;
		return null;
	}

	/**
	 * The request's headers: lower-case names with "-" (WordPress gives "_"), values as sent.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return array<string, string|list<string>>
	 */
	private static function headers( WP_REST_Request $request ): array {
		$out = array();
		foreach ( $request->get_headers() as $name => $values ) {
			$values = array_values( (array) $values );
			$out[ str_replace( '_', '-', strtolower( (string) $name ) ) ] = 1 === count( $values ) ? (string) $values[0] : array_map( 'strval', $values );
		}
		return $out;
	}

	/**
	 * Every connection's public fields and webhook URL.
	 *
	 * @return list<array<string, mixed>>
	 */
	private function list_public(): array {
		$out = array();
		foreach ( $this->connections->all() as $row ) {
			try {
				$row['webhook_url'] = Connections::webhook_url( $this->connections->get( $row['id'] ) );
			} catch ( Error $e ) {
				$row['webhook_url'] = rest_url( Routes::NAMESPACE . '/hooks/' . $row['id'] ); // Its secrets do not open: the route's own URL.
			}
			$out[] = $row;
		}
		return $out;
	}

	/**
	 * A connection's public fields.
	 *
	 * @param Connection $connection The connection.
	 * @return array<string, mixed>
	 */
	private function public( Connection $connection ): array {
		return array(
			'id'          => $connection->id,
			'provider'    => $connection->provider,
			'name'        => $connection->name,
			'api_base'    => $connection->api_base,
			'status'      => $connection->status,
			'settings'    => (object) $connection->settings,
			'webhook_url' => Connections::webhook_url( $connection ),
		);
	}

	/**
	 * A connection's map.
	 *
	 * @param string $map locations or items.
	 * @param int    $id  Connection id.
	 * @return object The map (a JSON object even when empty).
	 */
	private function map( string $map, int $id ): object {
		$this->connections->get( $id );
		return (object) ( 'locations' === $map ? $this->connections->locations( $id ) : $this->connections->items( $id ) );
	}

	/**
	 * Runs a callback; the plugin's errors become their answers (Failure).
	 *
	 * @param callable $work The work.
	 */
	private function guard( callable $work ): mixed {
		try {
			return $work();
		} catch ( \Omnistock\Error | \Omnistock\Exception $e ) {
			return Failure::answer( $e, __( 'The connection could not be saved or read; nothing was changed. Try again.', 'omnistock' ) );
		}
	}
}
