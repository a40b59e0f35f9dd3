<?php
/**
 * The routes' `args`: what WordPress checks before a callback, and what OPTIONS describes.
 *
 * @package Omnistock
 */

namespace Omnistock\Rest;

defined( 'ABSPATH' ) || exit;

/**
 * Two ways to declare a field. Both appear in OPTIONS with their schema.
 */
final class Args {

	/**
	 * A field WordPress checks against its schema before the callback: a wrong type or range
	 * answers 400 rest_invalid_param naming the field in data.params, as the POS's own checks do.
	 *
	 * @param string $description What it is.
	 * @param array  $schema      Its schema: type, minimum, maximum, enum, pattern.
	 */
	public static function checked( string $description, array $schema ): array {
		return array( 'description' => $description ) + $schema;
	}

	/**
	 * A field only described: its check stays the plugin's, because the plugin's answer names more
	 * than WordPress's would (a nested field such as lines[2].qty, or data.field of the inventory
	 * API), or accepts more (an amount as a number or a string). WordPress leaves its value as it came.
	 *
	 * @param string $description What it is.
	 * @param array  $schema      Its schema: type, items, properties.
	 */
	public static function described( string $description, array $schema ): array {
		return array( 'description' => $description ) + $schema + array( 'sanitize_callback' => null );
	}

	/**
	 * An amount of money: a decimal text with at most the shop's decimals ("12.50").
	 *
	 * @param string $description What it is.
	 */
	public static function money( string $description ): array {
		return self::described(
			$description,
			array(
				'type'    => array( 'string', 'number' ),
				'pattern' => '^-?\d+(\.\d+)?$',
			)
		);
	}

	/**
	 * POST /locations, PUT/PATCH /locations/<id>: the Locations rules answer a bad field with data.field.
	 */
	public static function location(): array {
		$text = fn( string $d, int $max ) => self::described(
			$d,
			array(
				'type'      => 'string',
				'maxLength' => $max,
			)
		);
		$flag = fn( string $d ) => self::described( $d, array( 'type' => 'boolean' ) );
		return array(
			'name'              => self::described(
				__( 'Name of the location.', 'omnistock' ),
				array(
					'type'      => 'string',
					'minLength' => 1,
					'maxLength' => 191,
				)
			),
			'address'           => $text( __( 'Street address.', 'omnistock' ), 2000 ),
			'country'           => self::described(
				__( 'ISO 3166 country code, or empty for the shop\'s base address.', 'omnistock' ),
				array(
					'type'    => 'string',
					'pattern' => '^([A-Za-z]{2})?$',
				)
			),
			'state'             => $text( __( 'State or county code.', 'omnistock' ), 100 ),
			'postcode'          => $text( __( 'Postcode.', 'omnistock' ), 100 ),
			'city'              => $text( __( 'City.', 'omnistock' ), 100 ),
			'ships_online'      => $flag( __( 'Whether its stock ships online orders.', 'omnistock' ) ),
			'offers_pickup'     => $flag( __( 'Whether customers may pick up here.', 'omnistock' ) ),
			'offers_curbside'   => $flag( __( 'Whether customers may pick up at the curb.', 'omnistock' ) ),
			'safety_default'    => self::described(
				__( 'Units kept back from sale in each cell by default.', 'omnistock' ),
				array(
					'type'    => 'integer',
					'minimum' => 0,
				)
			),
			'priority'          => self::described( __( 'Order in which locations serve online orders (lowest first).', 'omnistock' ), array( 'type' => 'integer' ) ),
			'opening_hours'     => $text( __( 'Opening hours, as the pickup e-mail shows them.', 'omnistock' ), 500 ),
			'pickup_hours'      => self::described(
				__( 'Hours the store needs to prepare a pickup order.', 'omnistock' ),
				array(
					'type'    => 'integer',
					'minimum' => 0,
				)
			),
			'hold_days'         => self::described(
				__( 'Days a ready pickup order waits before it is given up.', 'omnistock' ),
				array(
					'type'    => 'integer',
					'minimum' => 1,
				)
			),
			'accepts_transfers' => $flag( __( 'Whether pickup orders may be filled here with units sent from another location.', 'omnistock' ) ),
			'transfer_days'     => self::described(
				__( 'Days units sent from another location take to arrive here ("ready in about N days").', 'omnistock' ),
				array(
					'type'    => 'integer',
					'minimum' => 1,
				)
			),
			'latitude'          => self::described( __( 'Where it is, degrees north, for routing online orders by distance (null: unknown).', 'omnistock' ), array( 'type' => array( 'number', 'string', 'null' ) ) ),
			'longitude'         => self::described( __( 'Where it is, degrees east, for routing online orders by distance (null: unknown).', 'omnistock' ), array( 'type' => array( 'number', 'string', 'null' ) ) ),
			'shipping_zones'    => self::described(
				__( 'The WooCommerce shipping zone ids it ships to (empty: every zone).', 'omnistock' ),
				array(
					'type'  => array( 'array', 'string' ),
					'items' => array( 'type' => 'integer' ),
				)
			),
		);
	}

	/**
	 * POST /events: a batch; the ledger's rules name the bad field by its path (events[3].qty).
	 */
	public static function events(): array {
		$id   = array(
			'type'    => 'integer',
			'minimum' => 1,
		);
		$text = fn( int $max ) => array(
			'type'      => 'string',
			'maxLength' => $max,
		);
		return array(
			'events' => self::described(
				__( 'The events, applied all or none; a repeated id is a replay.', 'omnistock' ),
				array(
					'type'     => 'array',
					'minItems' => 1,
					'items'    => array(
						'type'       => 'object',
						'properties' => array(
							'id'        => array( 'type' => 'string' ),
							'kind'      => array(
								'type' => 'string',
								'enum' => array( 'count', 'adjust', 'commit', 'release', 'transfer' ),
							),
							'product'   => $id,
							'location'  => $id,
							'to'        => $id,
							'qty'       => array( 'type' => 'integer' ),
							'at'        => array( 'type' => 'integer' ),
							'source'    => $text( 32 ),
							'reference' => $text( 191 ),
							'actor'     => $text( 191 ),
							'reason'    => $text( 64 ),
						),
					),
				)
			),
		);
	}

	/**
	 * A location id given to a POS route.
	 */
	public static function pos_location(): array {
		return self::checked(
			__( 'Id of the location.', 'omnistock' ),
			array(
				'type'    => 'integer',
				'minimum' => 1,
			)
		);
	}

	/**
	 * GET /pos/catalogue.
	 *
	 * @param int $max_per_page Most products a page holds.
	 */
	public static function catalogue( int $max_per_page ): array {
		return array(
			'location' => self::pos_location(),
			'page'     => self::checked(
				__( 'Page, from 1.', 'omnistock' ),
				array(
					'type'    => 'integer',
					'minimum' => 1,
				)
			),
			'per_page' => self::checked(
				__( 'Products a page holds.', 'omnistock' ),
				array(
					'type'    => 'integer',
					'minimum' => 1,
					'maximum' => $max_per_page,
				)
			),
		);
	}

	/**
	 * GET /pos/stock.
	 */
	public static function pos_stock(): array {
		return array(
			'location' => self::pos_location(),
			'products' => self::checked(
				__( 'Comma-separated ids of at most 200 products.', 'omnistock' ),
				array(
					'type'    => 'string',
					'pattern' => '^\d+(,\d+){0,199}$',
				)
			),
		);
	}

	/**
	 * POST /pos/quote, and the cart of POST /pos/sales (the lines' fields are named lines[2].qty).
	 *
	 * @param int $max_lines Most lines a cart holds.
	 */
	public static function cart( int $max_lines ): array {
		return array(
			'location' => self::pos_location(),
			'lines'    => self::described(
				__( 'What is sold: product, quantity and an optional line discount.', 'omnistock' ),
				array(
					'type'     => 'array',
					'minItems' => 1,
					'maxItems' => $max_lines,
					'items'    => array(
						'type'       => 'object',
						'properties' => array(
							'product'  => array(
								'type'    => 'integer',
								'minimum' => 1,
							),
							'qty'      => array(
								'type'    => 'integer',
								'minimum' => 1,
							),
							'discount' => array( 'type' => array( 'string', 'number' ) ),
						),
					),
				)
			),
			'coupons'  => self::described(
				__( 'Coupon codes.', 'omnistock' ),
				array(
					'type'     => 'array',
					'maxItems' => 20,
					'items'    => array( 'type' => 'string' ),
				)
			),
			'customer' => self::checked(
				__( 'Id of the customer, or null.', 'omnistock' ),
				array(
					'type'    => array( 'integer', 'null' ),
					'minimum' => 1,
				)
			),
			'discount' => self::money( __( 'Discount on the whole order.', 'omnistock' ) ),
		);
	}

	/**
	 * POST /pos/sales: the cart, the payments and the sale's own fields.
	 *
	 * @param int $max_lines Most lines a cart holds.
	 */
	public static function sale( int $max_lines ): array {
		return self::cart( $max_lines ) + array(
			'id'       => self::checked( __( 'UUID the terminal made for the sale; a repeated id answers the same sale.', 'omnistock' ), array( 'type' => 'string' ) ),
			'payments' => self::described(
				__( 'Payments (payments[1].tendered is named so).', 'omnistock' ),
				array(
					'type'     => 'array',
					'minItems' => 1,
					'maxItems' => 20,
					'items'    => array(
						'type'       => 'object',
						'properties' => array(
							'method'    => array(
								'type' => 'string',
								'enum' => array( 'cash', 'card' ),
							),
							'amount'    => array( 'type' => array( 'string', 'number' ) ),
							'tendered'  => array( 'type' => array( 'string', 'number' ) ),
							'reference' => array(
								'type'      => 'string',
								'maxLength' => 191,
							),
						),
					),
				)
			),
			'at'       => self::checked( __( 'When the sale happened: milliseconds since the epoch or ISO 8601.', 'omnistock' ), array( 'type' => array( 'string', 'integer', 'null' ) ) ),
			'override' => self::checked( __( 'Sell units that are not sellable (they are in hand).', 'omnistock' ), array( 'type' => array( 'boolean', 'null' ) ) ),
			'session'  => self::checked(
				__( 'Id of the drawer session.', 'omnistock' ),
				array(
					'type'    => array( 'integer', 'null' ),
					'minimum' => 1,
				)
			),
		);
	}

	/**
	 * GET /pos/orders: an order by its number (typed, or scanned from the receipt's barcode).
	 */
	public static function order_search(): array {
		return array(
			'number' => self::checked(
				__( 'The order number, or the receipt barcode\'s text.', 'omnistock' ),
				array(
					'type'      => 'string',
					'minLength' => 1,
					'maxLength' => 20,
					'required'  => true,
				)
			),
		);
	}

	/**
	 * POST /pos/returns: an order brought back to a store.
	 *
	 * @param int $max_lines Most lines a return holds.
	 */
	public static function pos_return( int $max_lines ): array {
		return array(
			'id'       => self::checked( __( 'UUID the terminal made for the return; a repeated id answers the same return.', 'omnistock' ), array( 'type' => 'string' ) ),
			'order'    => self::checked(
				__( 'Id of the order returned (online or POS).', 'omnistock' ),
				array(
					'type'    => 'integer',
					'minimum' => 1,
				)
			),
			'location' => self::pos_location(),
			'lines'    => self::described(
				__( 'What comes back: the order item, how many, where the units go ("here", a location that is not sold from, or "none": written off, with a reason).', 'omnistock' ),
				array(
					'type'     => 'array',
					'minItems' => 1,
					'maxItems' => $max_lines,
					'items'    => array(
						'type'       => 'object',
						'properties' => array(
							'item'    => array(
								'type'    => 'integer',
								'minimum' => 1,
							),
							'qty'     => array(
								'type'    => 'integer',
								'minimum' => 1,
							),
							'restock' => array( 'type' => array( 'string', 'integer' ) ),
							'reason'  => array(
								'type'      => 'string',
								'maxLength' => 191,
							),
						),
					),
				)
			),
			'refund'   => self::described(
				__( 'How the money goes back: to the original payment, in cash from the drawer, or as store credit.', 'omnistock' ),
				array(
					'type'       => 'object',
					'properties' => array(
						'method' => array(
							'type' => 'string',
							'enum' => array( 'original', 'cash', 'credit' ),
						),
					),
				)
			),
			'session'  => self::checked(
				__( 'Id of the drawer session (a cash refund is paid from it).', 'omnistock' ),
				array(
					'type'    => array( 'integer', 'null' ),
					'minimum' => 1,
				)
			),
		);
	}

	/**
	 * GET /pos/customers.
	 */
	public static function customer_search(): array {
		return array(
			'search' => self::checked(
				__( 'Email, name or phone, at least 2 characters.', 'omnistock' ),
				array(
					'type'      => 'string',
					'minLength' => 2,
				)
			),
		);
	}

	/**
	 * POST /pos/customers.
	 */
	public static function customer(): array {
		$text = fn( string $d ) => self::checked(
			$d,
			array(
				'type'      => array( 'string', 'null' ),
				'maxLength' => 100,
			)
		);
		return array(
			'email'      => self::checked( __( 'Email address.', 'omnistock' ), array( 'type' => 'string' ) ),
			'first_name' => $text( __( 'First name.', 'omnistock' ) ),
			'last_name'  => $text( __( 'Last name.', 'omnistock' ) ),
			'phone'      => $text( __( 'Phone.', 'omnistock' ) ),
		);
	}

	/**
	 * An id in the route's path.
	 *
	 * @param string $name Its name.
	 */
	public static function path_id( string $name ): array {
		return array(
			$name => array(
				'type'     => 'integer',
				'required' => true,
			),
		);
	}

	/**
	 * The POS drawer's routes, by their callbacks (PosDrawerRoutes).
	 */
	public static function drawer(): array {
		$session = self::path_id( 'id' );
		return array(
			'open'    => array(
				'location' => self::pos_location(),
				'float'    => self::money( __( 'Cash in the drawer at the start.', 'omnistock' ) ),
			),
			'current' => array( 'location' => self::pos_location() ),
			'move'    => $session + array(
				'type'   => self::checked(
					__( 'Pay in or pay out.', 'omnistock' ),
					array(
						'type' => 'string',
						'enum' => array( 'in', 'out' ),
					)
				),
				'amount' => self::money( __( 'Amount, more than zero.', 'omnistock' ) ),
				'note'   => self::checked( __( 'Why.', 'omnistock' ), array( 'type' => array( 'string', 'null' ) ) ),
			),
			'close'   => $session + array( 'counted' => self::money( __( 'Cash counted in the drawer.', 'omnistock' ) ) ),
			'report'  => $session,
			'day'     => array(
				'location' => self::pos_location(),
				'date'     => self::checked(
					__( 'The day, YYYY-MM-DD.', 'omnistock' ),
					array(
						'type'    => 'string',
						'pattern' => '^\d{4}-\d{2}-\d{2}$',
					)
				),
			),
			'email'   => self::path_id( 'order' ) + array(
				'email' => self::checked( __( 'Where to send the receipt; the sale\'s customer e-mail when absent.', 'omnistock' ), array( 'type' => array( 'string', 'null' ) ) ),
			),
		);
	}

	/**
	 * GET /availability: the products asked and, per product, the units wanted.
	 *
	 * @param int $max Most products one request asks about.
	 */
	public static function availability( int $max ): array {
		$more = $max - 1;
		return array(
			'products' => self::checked(
				/* translators: %d: most products */
				sprintf( __( 'Comma-separated ids of at most %d products or variations.', 'omnistock' ), $max ),
				array(
					'type'     => 'string',
					'required' => true,
					'pattern'  => '^\d+(,\d+){0,' . $more . '}$',
				)
			),
			'qty'      => self::checked(
				__( 'Comma-separated units wanted, one per product (default 1 each).', 'omnistock' ),
				array(
					'type'    => 'string',
					'pattern' => '^[1-9]\d{0,5}(,[1-9]\d{0,5}){0,' . $more . '}$',
				)
			),
		);
	}
}
